"""What the command groups share: the handler type, the clerk, money as text, a person as JSON and
the failed verification (exit code 4)."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from desktop.core.ledger import Ledger
from desktop.core.money import fmt

Handler = Callable[[Ledger, argparse.Namespace, str], dict[str, Any]]
"""A command's handler: the open ledger, the parsed arguments and the language of messages; returns
the JSON result (the human output is derived from it). Registered on its sub-parser with
`set_defaults(handler=...)`."""


class Verdict(Exception):
    """A check or verification that found a problem: its result (with a "reason") is printed and the
    exit code is 4."""

    def __init__(self, result: dict[str, Any], reason: str | None = None) -> None:
        super().__init__(result["reason"] if reason is None else reason)
        self.result = result
        self.reason = result["reason"] if reason is None else reason


def clerk() -> str:
    """The account named by SHEBAO_USER ("" when none)."""
    return os.environ.get("SHEBAO_USER", "")


def money(d: Decimal) -> str:
    """An amount as yuan text."""
    return fmt(d)


def worker_json(w: Any) -> dict[str, Any]:
    """A person as the CLI's JSON."""
    return {"id_number": w.id_number, "ssn": w.ssn, "name": w.name, "sex": w.sex,
            "birth_date": w.birth_date.isoformat(), "hukou_region": w.hukou_region,
            "hukou_type": w.hukou_type, "nationality": w.nationality, "passport": w.passport,
            "phone": w.phone}
