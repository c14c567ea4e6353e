"""Reports: `shebao report transfers` and `shebao report exemptions`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop.cli.texts import YEAR, zh_en
from desktop.core.ledger import Ledger
from desktop.core.outfile import write_whole

CSV = zh_en("同时写出 CSV 文件到此", "also write a CSV file here")
PDF = zh_en("同时写出 PDF 文件到此", "also write a PDF file here")


def add_parsers(sub: Any) -> None:
    """The `report` group."""
    grp = sub.add_parser("report", help=zh_en("统计报表", "reports")).add_subparsers(dest="action", required=True)
    p = grp.add_parser("transfers", help=zh_en("一年的转入和转出，含人员和金额",
                                               "transfers in and out of a year, with people and amounts"))
    p.add_argument("--year", required=True, help=YEAR)
    p.add_argument("--csv", help=CSV)
    p.add_argument("--pdf", help=PDF)
    p.set_defaults(handler=_transfers)
    c = grp.add_parser("exemptions", help=zh_en("按年度和国家统计已出具的参保证明",
                                                "certificates of coverage issued per year and country"))
    c.add_argument("--year", type=int, help=zh_en("年度，YYYY（默认：全部年度）",
                                                  "the year, YYYY (default: every year)"))
    c.add_argument("--csv", help=CSV)
    c.add_argument("--pdf", help=PDF)
    c.set_defaults(handler=_exemptions)


def _transfers(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    rep = ledger.transfers.report(a.year)
    if a.csv:
        Path(a.csv).write_text(ledger.transfers.report_csv(rep), encoding="utf-8-sig")
    if a.pdf:
        write_whole(a.pdf, ledger.transfers.report_pdf(rep))
    return {**rep.as_json(), "csv": a.csv, "pdf": a.pdf}


def _exemptions(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    if a.csv:
        Path(a.csv).write_text(ledger.exemptions.statistics_csv(a.year), encoding="utf-8")
    if a.pdf:
        write_whole(a.pdf, ledger.exemptions.statistics_document(a.year))
    return {"rows": ledger.exemptions.statistics(a.year), "csv": a.csv, "pdf": a.pdf}
