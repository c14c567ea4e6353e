"""Page images of the printed documents for the README: `python -m desktop.core.pages --out resources/pages`.

In a temporary folder the demo office is built (desktop/core/demo.py, with the clock of the window's
screenshots, 2026-11-23), then one real document of every kind is issued through the services the
CLI calls, each for the least scenario it needs on demo people (or on a person registered with a
back-dated history through the same services), and page 1 of each PDF is saved as `<kind>.png` at
100 dpi, as a palette image of 16 grey levels (the forms print in black and grey). The same program
gives the same pictures, except the verification code and its QR code: the demo office's signing
key is made anew on every run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from stdnum.cn import ric

from desktop.core.clock import Clock
from desktop.core.month import Month

if TYPE_CHECKING:
    from desktop.core.ledger import Ledger

TODAY = dt.date(2026, 11, 23)
DPI = 100
GREYS = 16  # grey levels of the saved pages
# Every kind of printed document, in the README's order (tests/test_pages.py checks forms/ against it).
KINDS = ("statement", "transfer-certificate", "contact-letter", "information-table", "temporary-account",
         "medical-transfer-certificate", "coverage-certificate", "pension-estimate", "pension-determination",
         "scheme-switch-notice", "transfer-report", "exemption-statistics")
SUPERVISOR = ("lead", "supervisor", "Review@0791")
BEIJING, BJ_OFFICE = "110105", "BJ01"  # where the person leaving goes (朝阳区) and its office
BANK = {"bank_account_name": "北京市朝阳区社会保险事业管理中心（演示）", "bank": "示例银行北京朝阳支行（演示）",
        "bank_account": "0200000000000000110", "address": "北京市朝阳区示例路2号（演示）",
        "phone": "010-80000000"}


def _citizen(body: str) -> str:
    """A well-formed identity number from its first 17 digits."""
    return body + ric.calc_check_digit(body + "0")


class _Office:
    """The demo office and the people each document is issued for."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.own = ledger.clock
        self.employer = ""
        self.people: list[str] = []

    def at(self, moment: dt.datetime) -> None:
        self.ledger.clock = Clock(at=moment)

    def back(self) -> None:
        self.ledger.clock = self.own

    def pay(self, worker: str, first: str, last: str, wage: str) -> None:
        """Months recorded at the counter, each on the 10th of the month after it (in time)."""
        m, end = Month.parse(first), Month.parse(last)
        while m <= end:
            self.at(dt.datetime.combine(m.add(1).first_day() + dt.timedelta(days=9), dt.time(10, 0)))
            self.ledger.contributions.record(worker, self.employer, str(m), wage)
            m = m.add(1)
        self.back()


def _prepare(ledger: Ledger, people: int, months: int) -> _Office:
    """The demo office, a supervisor signed in (the documents a clerk would file for approval), and
    the province's pension figures."""
    from desktop.core.demo import ACCOUNTS, build_demo, demo_uscc

    build_demo(ledger, people=people, months=months)
    admin = next(a for a in ACCOUNTS if a[1] == "admin")
    ledger.sign_in(admin[0], admin[2])
    ledger.users.add(SUPERVISOR[0], SUPERVISOR[1], SUPERVISOR[2], must_change=False)
    for year in range(2011, Month.of(TODAY).add(-months).year):  # the older years' wages, as the demo's
        ledger.reference.set_wage("360000", year, Decimal(5200 + (year - 2015) * 420))
    for year in range(2024, TODAY.year + 1):  # illustrative calculation bases, as an office enters them
        ledger.pensions.set_base("360000", year, str(7000 + (year - 2024) * 250))
    ledger.pensions.set_transitional("360000", "0.012")
    ledger.sign_out()
    ledger.sign_in(SUPERVISOR[0], SUPERVISOR[2])
    office = _Office(ledger)
    office.employer = demo_uscc(1)
    # the demo's people with the longest records, each used for one document
    found = ledger.workers.find("3", 500)
    office.people = [w.key for w in sorted(found, key=lambda w: (-len(ledger.history.month_keys(w.key)[1]), w.key))]
    return office


def _issuers(o: _Office) -> dict[str, Callable[[], bytes]]:
    """For each kind, the steps that issue one document of it; each returns the PDF."""
    from desktop.core.demo import ACCOUNTS
    from desktop.core.services.pension import Determination

    led = o.ledger
    staying, leaving, moving, posted = o.people[:4]

    def estimated() -> str:
        """The estimate's person: a man some years from retirement."""
        return next(k for k in o.people[4:] if 1972 <= int(k[6:10]) <= 1985 and int(k[16]) % 2 == 1)

    def statement() -> bytes:
        return led.documents.issue("statement", staying, SUPERVISOR[0]).pdf

    def transfer_certificate() -> bytes:
        return led.documents.issue("transfer-certificate", leaving, SUPERVISOR[0]).pdf

    arriving: list[str] = []

    def contact_letter() -> bytes:  # a Nanchang woman back from Guangzhou asks for her record there
        key = led.workers.register_citizen(_citizen("36010319920304002"), "陈雨桐", "360103", "urban",
                                           "13807910000").key
        r = led.transfers.request(key, "440100", {}, channel="paper")
        arriving.append(r.case.number)
        return r.pdf or b""

    def information_table() -> bytes:  # Beijing's contact letter arrived by post for a person leaving
        number = f"{BJ_OFFICE}-ZY{TODAY.year}000077"
        led.transfers.enter_letter(number, leaving, BEIJING, BJ_OFFICE, TODAY - dt.timedelta(days=6), BANK)
        return led.transfers.settle(number).pdf or b""

    def temporary_account() -> bytes:
        # a woman of 46 from Hangzhou (not her hukou province here, over 40): her months here went to a
        # temporary account; she leaves for Fuzhou, the account is sealed
        o.at(dt.datetime(2024, 1, 3, 9, 0))
        key = led.workers.register_citizen(_citizen("33010219770812002"), "沈秀兰", "330102", "rural",
                                           "13907910000").key
        led.transfers.request(key, "330100", dict(BANK, bank_account="0300000000000000330"), channel="paper")
        o.back()
        o.pay(key, "2024-01", "2026-09", "5600")
        return led.transfers.seal_temporary(key, "350100").pdf or b""

    def medical() -> bytes:
        return led.insured.medical_certificate(moving, BEIJING, TODAY - dt.timedelta(days=2)).pdf

    def coverage() -> bytes:
        start = Month.of(TODAY).add(1)
        return led.exemptions.issue(posted, "KR", o.employer, "Ganjiang Machinery Korea Co., Ltd., Incheon",
                                    start.first_day(), start.add(24).first_day() - dt.timedelta(days=1),
                                    clerk=SUPERVISOR[0], passport="EB" + posted[-7:].replace("X", "0")).pdf

    def estimate() -> bytes:
        return led.pensions.estimate_pdf(estimated()).pdf

    def determination() -> bytes:
        # a Nanchang man who reached 60 (and 4 months) in 2025: deemed years from his old file,
        # then ten years here
        key = led.workers.register_citizen(_citizen("36010219650615001"), "龚建华", "360102", "urban",
                                           "13607910000").key
        led.records.add_opening(key, "deemed", "360100", "1988-01", "1997-12", "赣劳人〔1998〕档案（演示）")
        o.pay(key, "2016-01", "2025-07", "6800")
        # the clerk files it, the supervisor approves (经办人 and 审核人)
        clerk = next(a for a in ACCOUNTS if a[1] == "clerk")
        led.sign_out()
        led.sign_in(clerk[0], clerk[2])
        pending = led.approvals.request_determination(key)
        led.sign_out()
        led.sign_in(SUPERVISOR[0], SUPERVISOR[2])
        done: Determination = led.approvals.approve(pending.id).result
        return done.pdf

    def switch() -> bytes:
        # a rural man of 62 with eight employee years and three residents' years: to the residents' scheme
        key = led.workers.register_citizen(_citizen("36012119640315001"), "熊国平", "360121", "rural",
                                           "13507910000").key
        o.pay(key, "2016-02", "2024-02", "4800")
        for year, grade in ((2014, "300"), (2015, "500"), (2016, "300")):  # 2016-02..12: both schemes
            led.residents.record(key, "resident_pension", year, grade)
        return led.switches.decide(key, SUPERVISOR[0]).pdf

    def transfer_report() -> bytes:
        for number in arriving:  # Guangzhou's information table arrives by post, then the money
            rows: list[dict[str, object]] = [
                {"year": "2023", "base": "72000.00", "months": "12", "credited": "5760.00", "interest": "0.00",
                 "closing": "5760.00"},
                {"year": "2024", "base": "72000.00", "months": "12", "credited": "5760.00", "interest": "150.91",
                 "closing": "11670.91"},
                {"year": "2025", "base": "0.00", "months": "0", "credited": "0.00", "interest": "0.00",
                 "closing": "11670.91"}]
            case = led.transfers.enter_table(number, "0.00", "11670.91", "0.00", "11670.91", "17280.00", "28950.91",
                                             rows, "GZ01-XX2026000031")
            led.transfers.receive(number, case.total or "0")
        return led.transfers.report_pdf(led.transfers.report(TODAY.year))

    def exemption_statistics() -> bytes:
        return led.exemptions.statistics_document(TODAY.year)

    return {"statement": statement, "transfer-certificate": transfer_certificate, "contact-letter": contact_letter,
            "information-table": information_table, "temporary-account": temporary_account,
            "medical-transfer-certificate": medical, "coverage-certificate": coverage,
            "pension-estimate": estimate, "pension-determination": determination, "scheme-switch-notice": switch,
            "transfer-report": transfer_report, "exemption-statistics": exemption_statistics}


def page_png(pdf: bytes, out: Path, folder: Path, dpi: int = DPI) -> Path:
    """Page 1 of a PDF as an 8-bit palette PNG (poppler's pdftoppm, then Pillow)."""
    from PIL import Image

    source = folder / f"{out.stem}.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-f", "1", "-l", "1", "-png", "-singlefile", str(source),
                    str(folder / out.stem)], check=True, capture_output=True)
    # a fixed palette of grey levels (the forms print in black and grey), not one chosen per image:
    # the same page gives the same pixels whatever its QR code
    palette = Image.new("P", (1, 1))
    palette.putpalette([v for level in range(GREYS) for v in (level * 255 // (GREYS - 1),) * 3])
    with Image.open(folder / f"{out.stem}.png") as page:
        small = page.convert("RGB").quantize(palette=palette, dither=Image.Dither.NONE)
    small.save(out, optimize=True)
    return out


def render_pages(out: Path, kinds: Iterable[str] | None = None, people: int = 60, months: int = 36) -> list[Path]:
    """Build the demo office in a temporary folder and save page 1 of one document of each kind."""
    from desktop.core.ledger import Ledger

    wanted = list(KINDS if kinds is None else kinds)
    unknown = [k for k in wanted if k not in KINDS]
    if unknown:
        raise ValueError(f"unknown kinds: {', '.join(unknown)}")
    out.mkdir(parents=True, exist_ok=True)
    made: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="shebao-pages-") as tmp:
        folder = Path(tmp)
        ledger = Ledger.open(folder / "demo.db", clock=lambda: TODAY)
        try:
            office = _prepare(ledger, people, months)
            issuers = _issuers(office)
            for kind in KINDS:  # in order: the reports count what the others issued
                if kind in wanted:
                    made.append(page_png(issuers[kind](), out / f"{kind}.png", folder))
        finally:
            ledger.close()
    return made


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and render."""
    parser = argparse.ArgumentParser(prog="python -m desktop.core.pages", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("resources/pages"))
    parser.add_argument("--people", type=int, default=60)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--kind", action="append", choices=KINDS, help="only these kinds (repeatable)")
    args = parser.parse_args(argv)
    for path in render_pages(args.out, args.kind, args.people, args.months):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
