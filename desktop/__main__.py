"""`python -m desktop [--db TARGET]` opens the application window."""

from __future__ import annotations

from desktop.ui.app import main

raise SystemExit(main())
