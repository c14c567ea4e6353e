"""The `shebao transfer ...`, `shebao pension place` and `shebao report transfers` commands."""

from __future__ import annotations

import argparse
from typing import Any

from desktop.core.ledger import Ledger


def add_parsers(sub: Any, transfer: Any) -> None:
    """Add the transfer actions to the `transfer` group, and `pension`/`report` to the command line."""


def dispatch(ledger: Ledger, a: argparse.Namespace) -> dict[str, Any] | None:
    """Run a transfer command (None: not one of these)."""
    return None
