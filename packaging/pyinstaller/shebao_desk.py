"""Entry point of the frozen `shebao-desk` (the window), built by shebao-desk.spec.

The window starts its database lock guard as this same executable with a flag of its own
(desktop/core/store/guard.py): that is handled first, before Qt is loaded.
"""

from __future__ import annotations

import sys


def run() -> int:
    """The window, unless started as the database lock guard."""
    from desktop.core.store.guard import serve_if_asked

    serve_if_asked(sys.argv)
    from desktop.ui.app import main

    return main()


if __name__ == "__main__":
    raise SystemExit(run())
