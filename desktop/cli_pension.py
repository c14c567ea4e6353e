"""Retirement at the counter on the command line: `shebao retirement` (the day, the range, the
minimum and what is missing) and the `pension` actions other than `pension place`."""

from __future__ import annotations

import argparse
from typing import Any

from desktop.core.ledger import Ledger


def add_parsers(sub: Any) -> None:
    """Add `retirement` to the command line."""
    c = sub.add_parser("retirement", help="when the person may retire (with the rise from 2025), the minimum "
                                          "contribution months of that year and what is missing")
    c.add_argument("--worker", required=True)
    c.add_argument("--on", help="the day asked (default today): whether the statutory day has come")
    c.add_argument("--set-group", choices=("60", "55", "50"),
                   help="record the person's original retirement group first (women: 55 cadres and flexible "
                        "workers, 50 workers)")


def add_pension_parsers(pension: Any) -> None:
    """Add the pension actions (estimate, determination) to the `pension` group."""


def dispatch(ledger: Ledger, a: argparse.Namespace) -> dict[str, Any] | None:
    """Run a retirement or pension command (None: not one of these)."""
    cmd = a.command
    if cmd == "retirement":
        if a.set_group:
            ledger.retirement.set_group(a.worker, a.set_group)
        return ledger.retirement.check(a.worker, a.on).as_json()
    return None
