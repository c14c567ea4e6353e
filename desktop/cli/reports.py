"""Reports: `shebao report transfers` and `shebao report exemptions`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop.core.ledger import Ledger


def add_parsers(sub: Any) -> None:
    """The `report` group."""
    grp = sub.add_parser("report", help="reports").add_subparsers(dest="action", required=True)
    p = grp.add_parser("transfers", help="transfers in and out of a year, with people and amounts")
    p.add_argument("--year", required=True)
    p.add_argument("--csv")
    p.add_argument("--pdf")
    p.set_defaults(handler=_transfers)
    c = grp.add_parser("exemptions", help="certificates of coverage issued per year and country")
    c.add_argument("--year", type=int)
    c.add_argument("--csv")
    c.add_argument("--pdf")
    c.set_defaults(handler=_exemptions)


def _transfers(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    rep = ledger.transfers.report(a.year)
    if a.csv:
        Path(a.csv).write_text(ledger.transfers.report_csv(rep), encoding="utf-8-sig")
    if a.pdf:
        Path(a.pdf).write_bytes(ledger.transfers.report_pdf(rep))
    return {**rep.as_json(), "csv": a.csv, "pdf": a.pdf}


def _exemptions(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    if a.csv:
        Path(a.csv).write_text(ledger.exemptions.statistics_csv(a.year), encoding="utf-8")
    if a.pdf:
        Path(a.pdf).write_bytes(ledger.exemptions.statistics_document(a.year))
    return {"rows": ledger.exemptions.statistics(a.year), "csv": a.csv, "pdf": a.pdf}
