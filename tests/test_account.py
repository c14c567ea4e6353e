"""The individual account by year: interest on the previous year-end balance only."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

from conftest import EMPLOYER, EMPLOYER_2, REGION, TODAY
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from desktop.core.ledger import Ledger
from desktop.core.money import to_fen
from desktop.core.services.accounts import roll_account
from desktop.core.services.record import gather, home_region
from desktop.core.store.models import SchemeCode, Worker

D = Decimal


def test_worked_example_2021_to_2026(ledger: Ledger, person: str) -> None:
    # 12 months of 6000 in 2021 and 2022, none later: 480 a month to the account (8%).
    for year in (2021, 2022):
        for month in range(1, 13):
            ledger.contributions.record(person, EMPLOYER, f"{year}-{month:02d}", "6000")
    st_ = ledger.accounts.statement(person)
    years = {y.year: y for y in st_.account_years}
    assert years[2021].interest == D("0.00")  # opening balance 0: the year's money earns nothing
    assert years[2021].closing == D("5760.00")
    assert years[2022].rate == D("0.0612")
    assert years[2022].interest == D("352.51")  # 5760.00 x 6.12% = 352.512
    assert years[2022].closing == D("5760.00") + D("352.51") + D("5760.00")


def test_interest_rates_by_year(ledger: Ledger, person: str) -> None:
    for month in range(1, 13):
        ledger.contributions.record(person, EMPLOYER, f"2021-{month:02d}", "6000")
    years = {y.year: y for y in ledger.accounts.statement(person).account_years}
    # 2022: 5760.00 x 6.12% = 352.512 -> 352.51; 2023: 6112.51 x 3.97% = 242.666... -> 242.67
    assert years[2022].interest == D("352.51") and years[2022].closing == D("6112.51")
    assert years[2023].interest == D("242.67") and years[2023].closing == D("6355.18")
    assert years[2024].interest == D("166.51")  # 6355.18 x 2.62% = 166.5057
    # 2025 has no published rate in resources/interest.csv: no interest, statement incomplete
    assert years[2025].rate is None and years[2025].interest is None
    assert not ledger.accounts.statement(person).interest_complete
    # the current year is not over: no interest yet
    assert years[2026].interest is None
    ledger.reference.set_interest(2025, "0.0250")
    years = {y.year: y for y in ledger.accounts.statement(person).account_years}
    assert years[2025].interest == to_fen(D("6521.69") * D("0.025"))
    assert ledger.accounts.statement(person).interest_complete


@given(st.dictionaries(st.integers(2016, 2025), st.decimals(0, 20000, places=2), min_size=1),
       st.sampled_from([D("0.0262"), D("0.0831"), D("0")]))
def test_roll_adds_up(credits: dict[int, Decimal], rate: Decimal) -> None:
    by_year = {y: (12, D("0"), c) for y, c in credits.items()}
    years, complete = roll_account(by_year, lambda _y: rate, 2026)
    assert complete
    for prev, cur in pairwise(years):
        assert cur.opening == prev.closing
        if cur.year < 2026:
            assert cur.interest == to_fen(prev.closing * rate)
    assert years[-1].interest is None
    total_interest = sum((y.interest or D(0)) for y in years)
    assert years[-1].closing == sum(credits.values()) + total_interest



def test_the_record_found_where_it_is_held_is_the_one_of_home_region(ledger: Ledger, person: str,
                                                                     db_path: Path) -> None:
    """gather with no region finds where the pension relationship is from its own read of the paid
    pension months (the statement's path, one query fewer) exactly as `home_region` does: the latest
    month's line with the highest id when two employers paid it, a transfer's region before that,
    the office's when nothing is paid."""

    def both(led: Ledger) -> tuple[str, str]:
        with led.read() as s:
            w = s.scalars(select(Worker).where(Worker.id_number == person)).one()
            return gather(s, w, None, TODAY).region, home_region(s, w)

    assert both(ledger) == (REGION, REGION)  # nothing paid: the office's
    ledger.employers.register(EMPLOYER_2, "第二有限公司", REGION, 1)
    for month in ("2026-08", "2026-09"):
        ledger.contributions.record(person, EMPLOYER, month, "6000")
    ledger.contributions.record(person, EMPLOYER_2, "2026-09", "6000")  # the same month, a higher id
    assert both(ledger) == (REGION, REGION)
    ledger.close()
    con = sqlite3.connect(str(db_path))
    with con:  # other regions' lines, as other offices' would be (straight into the file)
        lines = con.execute("SELECT id FROM contribution WHERE scheme = ? ORDER BY id",
                            (SchemeCode.NAMES.index("pension"),)).fetchall()
        for (rid,), region in zip(lines, (360200, 360300, 360400), strict=True):
            con.execute("UPDATE contribution SET region = ? WHERE id = ?", (region, rid))
    con.close()
    again = Ledger.open(db_path, clock=lambda: TODAY)
    try:
        assert both(again) == ("360400", "360400")
        with again.write() as s:
            s.scalars(select(Worker).where(Worker.id_number == person)).one().insured_region = "510100"
        assert both(again) == ("510100", "510100")
    finally:
        again.close()
