"""A person's pension record as one office holds it, whatever route each part came by.

The record is: the months paid here; the parts received with transfers (by sync or typed in from a
paper information table) or with a change of registration inside one pooling unit; and the
opening entries from the old paper file (deemed years, months and the account balance from before
1998). Settling a transfer moves all of it, and the next office holds it as one received part.

Money rules (国办发〔2009〕66号 第四条, and domain.md "Rules after the 2009 measures"):
- A received part keeps the money its table says for every year before the year it was settled:
  never recomputed at this office's crediting rates. From that year on its balance (the closing
  of the year before) rolls with this office's money at this office's rates; the year's principal
  it brought is credited that year and earns nothing in it, as money paid here would.
- The pooling part is 12% of the actual base of every month since 1998 the record holds, whoever
  collected it: per year the bases of all parts are added, times the share, rounded half up once.
- The pension-place rules count months by place (a province since 人社部规〔2016〕5号), deemed
  years and the years before 1998 included; a month known twice in one place counts once.

Pure functions on integer fen; no database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from desktop.core import transfer_rules as tr
from desktop.core.errors import InvalidInput
from desktop.core.month import Month

KINDS = ("paid", "deemed", "pre1998")
KIND_NAMES = {"paid": ("实际缴费", "months paid"), "deemed": ("视同缴费", "deemed years"),
              "pre1998": ("1998年前缴费", "paid before 1998")}


def _round(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def pct(part: int, whole: int) -> str:
    """A rate as the information table prints it ("16%", "—" without a base)."""
    if not whole:
        return "—"
    rate = (Decimal(part) / Decimal(whole) * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{rate.normalize():f}%"


@dataclass(frozen=True, slots=True)
class Period:
    """A stretch of the record in one region: months paid, deemed, or paid before 1998.

    months is normally the whole span first..last; a received period may say fewer (a gap the
    table does not show month by month). source: "" for months paid here, else the transfer case
    or the document the period comes from; received: it arrived with a transfer or registration.
    """

    kind: str
    region: str
    first: Month
    last: Month
    months: int
    source: str = ""
    received: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise InvalidInput("record.kind", "kind", value=self.kind, known=", ".join(KINDS))
        if self.last < self.first:
            raise InvalidInput("month.order", "to")
        if not 0 < self.months <= self.span:
            raise InvalidInput("record.months", "months", months=self.months, span=self.span)

    @property
    def span(self) -> int:
        """Months from first to last, both included."""
        return self.last.index() - self.first.index() + 1

    def month_set(self) -> set[Month] | None:
        """Every month of the period, or None when it does not cover its whole span."""
        if self.months != self.span:
            return None
        return {self.first.add(i) for i in range(self.span)}

    def as_json(self) -> dict[str, Any]:
        """The period as an information table carries it."""
        return {"kind": self.kind, "region": self.region, "first": str(self.first), "last": str(self.last),
                "months": self.months, "source": self.source}

    @classmethod
    def from_json(cls, data: Mapping[str, Any], source: str = "") -> Period:
        """A period of a received table (marked received); source: the case, when the table names none."""
        try:
            region = str(data["region"]).strip()
            tr.province(region)
            return cls(str(data.get("kind") or "paid"), region, Month.parse(data["first"], "first"),
                       Month.parse(data["last"], "last"), int(str(data["months"])),
                       str(data.get("source") or source), True)
        except (KeyError, ValueError):
            raise InvalidInput("record.period", "periods", value=str(dict(data))) from None


def runs(months: Iterable[tr.PaidMonth]) -> list[Period]:
    """Months paid here as periods: runs of consecutive months in one region, in order."""
    by_region: dict[str, set[int]] = {}
    for m in months:
        by_region.setdefault(m.region, set()).add(m.month.index())
    out: list[Period] = []
    for region, found in by_region.items():
        ordered = sorted(found)
        start = prev = ordered[0]
        for index in ordered[1:]:
            if index != prev + 1:
                out.append(_run(region, start, prev))
                start = index
            prev = index
        out.append(_run(region, start, prev))
    return sorted(out, key=lambda p: (p.first.index(), p.region))


def _run(region: str, first: int, last: int) -> Period:
    return Period("paid", region, Month(first // 12, first % 12 + 1), Month(last // 12, last % 12 + 1),
                  last - first + 1)


@dataclass(frozen=True, slots=True)
class ReceivedYear:
    """One year row of a received information table, in fen; rates as printed."""

    year: int
    months: int
    base_fen: int
    credited_fen: int
    interest_fen: int
    closing_fen: int
    rates: tuple[str, str, str] = ("—", "—", "—")  # employer, account, personal


@dataclass(frozen=True, slots=True)
class ReceivedPart:
    """What a transfer (or a registration change on paper) brought: its table and periods.

    year: the year the old office settled (its table's balances are final before it).
    funds: False for a registration change inside one pooling unit (no money moved; the record
    continues).
    """

    case: str
    from_region: str
    year: int
    pre1998_fen: int
    to_last_year_end_fen: int
    this_year_principal_fen: int
    rows: tuple[ReceivedYear, ...]
    periods: tuple[Period, ...]
    funds: bool = True

    @property
    def account_fen(self) -> int:
        """The account line of the part's table."""
        return self.pre1998_fen + self.to_last_year_end_fen + self.this_year_principal_fen


def part_from_table(case: str, from_region: str, year: int, table: Mapping[str, Any],
                    funds: bool = True) -> ReceivedPart:
    """A received part from a case's stored table (settled here or elsewhere, or typed in).

    A table from before periods were carried names none: its rows' months stand as one period
    per year in the old region.
    """
    rows = tuple(ReceivedYear(int(r["year"]), int(r["months"]), int(r["base"]), int(r["credited"]),
                              int(r.get("interest") or 0), int(r["closing"]),
                              (str(r.get("employer_rate", "—")), str(r.get("account_rate", "—")),
                               str(r.get("personal_rate", "—"))))
                 for r in sorted(table.get("rows", []), key=lambda r: int(r["year"])))
    if "periods" in table:
        periods = tuple(Period.from_json(p, case) for p in table["periods"])
    else:
        periods = tuple(Period("paid", from_region, Month(r.year, 1), Month(r.year, 12), r.months, case, True)
                        for r in rows if r.months)
    return ReceivedPart(case, from_region, year, int(table.get("pre1998", 0)),
                        int(table.get("to_last_year_end", 0)), int(table.get("this_year_principal", 0)),
                        rows, periods, funds)


@dataclass(frozen=True, slots=True)
class HeldYear:
    """One year of the record's individual account and pooling part."""

    year: int
    months: int
    base_total_fen: int
    credited_fen: int
    opening_fen: int
    interest_rate: Decimal | None
    interest_fen: int | None  # None: the year is not over, or its rate is unknown
    closing_fen: int
    pooling_fen: int
    rates: tuple[str, str, str]  # employer, account, personal as printed


@dataclass(frozen=True)
class HeldMoney:
    """The record's money as the information table states it, in fen."""

    pre1998_fen: int
    to_last_year_end_fen: int
    this_year_principal_fen: int
    account_fen: int
    pooling_fen: int
    years: tuple[HeldYear, ...]
    complete: bool
    months_counted: int  # months since 1998 whose base the pooling part counts

    @property
    def total_fen(self) -> int:
        """Account and pooling together."""
        return self.account_fen + self.pooling_fen

    def lines(self) -> tr.InfoLines:
        """The six money lines of the information table."""
        return tr.InfoLines(self.pre1998_fen, self.to_last_year_end_fen, self.this_year_principal_fen,
                            self.account_fen, self.pooling_fen, self.total_fen)

    def years_without_interest(self, through_year: int) -> tuple[int, ...]:
        """Past years in which the rolled account held money but earned nothing: rate unknown."""
        return tuple(y.year for y in self.years
                     if y.year < through_year and y.interest_fen is None and y.opening_fen)


def held_money(own: Sequence[tr.PaidMonth], parts: Sequence[ReceivedPart], pre1998_fen: int,
               interest_of: Callable[[int], Decimal | None], through_year: int) -> HeldMoney:
    """The individual account and the pooling part of everything the record holds, year by year.

    own: months paid here (months before 1998 are ignored: their money is in pre1998_fen, the
    account balance at 1997-12-31 from the old file). Interest for year Y is the rolled balance
    at the end of Y-1 times Y's rate, half up to the fen, credited at year end; through_year (the
    year of the transfer) earns none yet. A received part joins the rolled balance in the year it
    was settled; before that its own table's closings stand as given.
    """
    cut = tr.rules().pooling_from
    share = tr.rules().pooling_share
    kept = [m for m in tr.unique_months(own) if m.month >= cut]
    for m in kept:
        if m.month.year > through_year:
            raise InvalidInput("month.future", "month", value=str(m.month),
                               current=str(Month(through_year, 12)))
    # per year: months, base, credited, employer, employee (own money) and fixed money of parts
    own_sums: dict[int, list[int]] = {}
    for m in kept:
        acc = own_sums.setdefault(m.month.year, [0, 0, 0, 0, 0])
        for i, amount in enumerate((1, m.base_fen, m.account_fen, m.employer_fen, m.employee_fen)):
            acc[i] += amount
    joins: dict[int, int] = {}  # year -> balance joining the roll at its start
    join_credit: dict[int, int] = {}  # year -> principal credited that year by parts settled in it
    fixed: dict[int, list[int]] = {}  # year -> [interest, closing] of parts still standing as given
    months: dict[int, int] = {y: v[0] for y, v in own_sums.items()}
    bases: dict[int, int] = {y: v[1] for y, v in own_sums.items()}
    credited: dict[int, int] = {y: v[2] for y, v in own_sums.items()}
    part_rates: dict[int, tuple[str, str, str]] = {}
    if pre1998_fen:
        joins[cut.year] = joins.get(cut.year, 0) + pre1998_fen
    for p in parts:
        if p.year > through_year:
            raise InvalidInput("month.future", "year", value=str(p.year), current=str(Month(through_year, 12)))
        joins[p.year] = joins.get(p.year, 0) + p.pre1998_fen + p.to_last_year_end_fen
        join_credit[p.year] = join_credit.get(p.year, 0) + p.this_year_principal_fen
        for r in p.rows:
            months[r.year] = months.get(r.year, 0) + r.months
            bases[r.year] = bases.get(r.year, 0) + r.base_fen
            credited[r.year] = credited.get(r.year, 0) + r.credited_fen
            part_rates.setdefault(r.year, r.rates)
            if r.year < p.year:
                f = fixed.setdefault(r.year, [0, 0])
                f[0] += r.interest_fen
                f[1] += r.closing_fen
    years_seen = set(months) | set(joins) | set(fixed)
    if not years_seen:
        return HeldMoney(0, 0, 0, 0, 0, (), True, 0)
    rows: list[HeldYear] = []
    complete = True
    rolled = 0
    previous_closing = 0
    for year in range(min(years_seen), through_year + 1):
        opening = rolled + joins.get(year, 0)
        rate = interest_of(year)
        interest: int | None = None
        if year < through_year:
            if rate is None:
                complete = complete and opening == 0
            else:
                interest = _round(Decimal(opening) * rate)
        rolled = opening + (interest or 0) + own_sums.get(year, [0, 0, 0])[2] + join_credit.get(year, 0)
        f = fixed.get(year, [0, 0])
        shown_interest = None if interest is None and not f[0] else (interest or 0) + f[0]
        closing = rolled + f[1]
        base = bases.get(year, 0)
        sums = own_sums.get(year)
        rates = (pct(sums[3], sums[1]), pct(sums[2], sums[1]), pct(sums[4], sums[1])) if sums \
            else part_rates.get(year, ("—", "—", "—"))
        rows.append(HeldYear(year, months.get(year, 0), base, credited.get(year, 0), previous_closing, rate,
                             shown_interest, closing, _round(Decimal(base) * share) if year >= cut.year else 0,
                             rates))
        previous_closing = closing
    pre1998 = pre1998_fen + sum(p.pre1998_fen for p in parts)
    past = [r.closing_fen for r in rows if r.year < through_year]
    last_end = past[-1] if past else pre1998
    this_year = sum(r.credited_fen for r in rows if r.year == through_year)
    pooling = sum(r.pooling_fen for r in rows)
    counted = sum(r.months for r in rows if r.year >= cut.year)
    return HeldMoney(pre1998, last_end - pre1998, this_year, last_end + this_year, pooling, tuple(rows),
                     complete, counted)


@dataclass(frozen=True, slots=True)
class PlaceMonths:
    """The months a place counts for the pension-place rules, by kind."""

    place: str
    last_region: str
    last_month: Month
    months: int
    by_kind: Mapping[str, int]


def months_by_place(periods: Iterable[Period], until: Month | None = None) -> list[PlaceMonths]:
    """Months per place (tr.place_key), oldest place first by its last month; a month known twice
    in one place counts once (a period that does not cover its span adds its months as stated)."""
    sets: dict[str, set[Month]] = {}
    extra: dict[str, int] = {}
    kinds: dict[str, dict[str, int]] = {}
    last: dict[str, tuple[Month, str]] = {}
    for p in sorted(periods, key=lambda p: (p.first, p.region)):
        if until is not None and p.first > until:
            continue
        key = tr.place_key(p.region)
        found = p.month_set()
        if found is not None:
            if until is not None:
                found = {m for m in found if m <= until}
            new = found - sets.setdefault(key, set())
            sets[key] |= new
            n = len(new)
        else:
            n = p.months
            extra[key] = extra.get(key, 0) + n
        counted = kinds.setdefault(key, {})
        counted[p.kind] = counted.get(p.kind, 0) + n
        end = min(p.last, until) if until is not None else p.last
        if key not in last or end >= last[key][0]:
            last[key] = (end, p.region)
    out = [PlaceMonths(k, last[k][1], last[k][0], len(sets.get(k, ())) + extra.get(k, 0), kinds[k])
           for k in last]
    return sorted(out, key=lambda x: (x.last_month, x.place))


def place_of(hukou_region: str, periods: Iterable[Period], current_region: str,
             until: Month | None = None) -> tr.PlaceDecision:
    """Where the pension is paid for this record (tr.pension_place, places counted as above)."""
    history = [(p.last_region, p.months) for p in months_by_place(periods, until)]
    return tr.pension_place(hukou_region, history, current_region)
