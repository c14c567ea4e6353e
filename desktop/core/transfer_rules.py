"""Moving between pooling regions: what moves, where the pension is paid, and related periods.

Pure functions, no database. Sources: 国办发〔2009〕66号 城镇企业职工基本养老保险关系转移接续暂行办法
(the 2009 interim measures, in force 2010-01-01); 人社部发〔2014〕17号 城乡养老保险制度衔接暂行办法;
失业保险条例 (1999). Every figure (shares, ages, years, durations, working days) is read from
resources/transfer_rules.toml, each with its source; see `rules()`.

Money is integer fen throughout; a year's amount is rounded half up to the fen once, on the year's
sum. Input months are deduplicated: the same month twice in the same pooling region counts once
(the first row given); the same month in two pooling regions is reported by `duplicate_months`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from desktop.core.errors import InvalidInput
from desktop.core.money import yuan_of
from desktop.core.month import Month
from desktop.core.paths import resources_dir
from desktop.core.regions import province_of
from desktop.core.services.accounts import AccountYear, roll_account
from desktop.core.workdays import DueDate, WorkCalendar, default_calendar

RULES_FILE = "transfer_rules.toml"
MONTHS_IN_YEAR = 12  # calendar fact, not a rule parameter
_CODE_RE = re.compile(r"^\d{6}$")
_RATE = Decimal("0.0001")
_YEARS = Decimal("0.01")
_HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class RetirementGroup:
    """A statutory retirement age and its rise: years, the first birth month delayed, births-months
    per month of delay, the most months of delay."""

    years: int
    from_birth: Month
    step: int
    cap: int


@dataclass(frozen=True, slots=True)
class TransferRules:
    """The parameters of resources/transfer_rules.toml; `sources` names where each comes from."""

    pooling_share: Decimal
    pooling_from: Month
    temporary_age_men: int
    temporary_age_women: int
    temporary_cross_province_only: bool
    hukou_level: str
    pension_place_years: int
    resident_max_employee_years: int
    unemployment_steps: tuple[tuple[int, int], ...]
    step_working_days: int
    medical_old_office_working_days: int
    medical_new_office_working_days: int
    municipalities: tuple[str, ...]
    place_level: str
    provincial_pooling_by: dt.date
    back_payment_document_years: int
    back_payment_notice_working_days: int
    retirement_groups: Mapping[str, RetirementGroup]
    minimum_months: Mapping[str, int]
    flexible_retirement_months: Mapping[str, int]
    sources: Mapping[str, str] = field(default_factory=dict)


_CONVERT: dict[str, Callable[[Any], Any]] = {
    "pooling_share": lambda v: Decimal(str(v)),
    "pooling_from": Month.parse,
    "temporary_cross_province_only": bool,
    "hukou_level": str,
    "unemployment_steps": lambda v: tuple(sorted((int(s["min_years"]), int(s["months"]))
                                                 for s in v)),
    "municipalities": lambda v: tuple(str(p) for p in v),
    "place_level": str,
    "provincial_pooling_by": lambda v: dt.date.fromisoformat(str(v)),
    "minimum_months": lambda v: MappingProxyType({str(k): int(n) for k, n in v.items()}),
    "flexible_retirement_months": lambda v: MappingProxyType({str(k): int(n) for k, n in v.items()}),
    "retirement_groups": lambda v: MappingProxyType({str(g["group"]): RetirementGroup(
        int(g["years"]), Month.parse(str(g["from_birth"])), int(g["step"]), int(g["cap"])) for g in v}),
}


def parse_rules(data: Mapping[str, Any]) -> TransferRules:
    """The parameters from a parsed TOML document; a table without value or source is an error."""
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for f in fields(TransferRules):
        if f.name == "sources":
            continue
        table = data.get(f.name)
        if not isinstance(table, Mapping) or "value" not in table or not table.get("source"):
            raise ValueError(f"{RULES_FILE}: [{f.name}] needs a value and a source")
        values[f.name] = _CONVERT.get(f.name, int)(table["value"])
        sources[f.name] = str(table["source"])
    for name in ("hukou_level", "place_level"):
        if values[name] not in ("province", "pooling"):
            raise ValueError(f"{RULES_FILE}: {name} must be province or pooling")
    return TransferRules(**values, sources=MappingProxyType(sources))


@lru_cache(maxsize=1)
def rules() -> TransferRules:
    """The parameters from resources/transfer_rules.toml (cached)."""
    with (resources_dir() / RULES_FILE).open("rb") as fh:
        return parse_rules(tomllib.load(fh))


def temporary_ages() -> dict[str, int]:
    """The ages from which a temporary contribution account is opened, as the parameters `men` and
    `women` of the messages that state them (transfer.temporary)."""
    r = rules()
    return {"men": r.temporary_age_men, "women": r.temporary_age_women}


def _check_region(region: str, name: str = "region") -> str:
    if not _CODE_RE.match(region):
        raise InvalidInput("region.format", name)
    return region


def province(region: str) -> str:
    """The province code XX0000 of a region code."""
    return province_of(_check_region(region))


@lru_cache(maxsize=8192)
def pooling_key(region: str) -> str:
    """The pooling region a code belongs to: XX0000 for a province-level municipality, else XXXX00.

    Pension funds are pooled at prefecture level, the four municipalities as one region each
    (国办发〔2009〕66号 deals with moves between such pooling regions).
    """
    _check_region(region)
    if region[:2] in rules().municipalities:
        return region[:2] + "0000"
    return region[:4] + "00"


def place_key(region: str) -> str:
    """The "place" of the pension-place rules: a province (人社部规〔2016〕5号), or a pooling region."""
    return province(region) if rules().place_level == "province" else pooling_key(region)


@dataclass(frozen=True, slots=True)
class PoolingUnits:
    """Which pooling unit a region belongs to on a day: its prefecture before the province's
    provincial-pooling date, the province from it (the municipalities are one unit throughout).

    provincial: the office's dates by province code XX0000; a province without one pools
    provincially from rules().provincial_pooling_by.
    """

    provincial: Mapping[str, dt.date] = field(default_factory=dict)

    def since(self, province_code: str) -> dt.date:
        """The day the province pools as one unit."""
        return self.provincial.get(province_code, rules().provincial_pooling_by)

    def unit(self, region: str, on: dt.date) -> str:
        """The pooling unit of a region on a day: XX0000 (province or municipality) or XXXX00."""
        home = province(region)
        if region[:2] in rules().municipalities or on >= self.since(home):
            return home
        return pooling_key(region)

    def same(self, a: str, b: str, on: dt.date) -> bool:
        """Whether two regions are in one pooling unit on a day (a move between them moves no funds)."""
        return self.unit(a, on) == self.unit(b, on)


def _hukou_matches(hukou_region: str, region: str) -> bool:
    if rules().hukou_level == "province":
        return province(hukou_region) == province(region)
    return pooling_key(hukou_region) == pooling_key(region)


@dataclass(frozen=True, slots=True)
class PaidMonth:
    """One pension month actually paid, in fen; region: code of the collecting pooling region."""

    region: str
    month: Month
    base_fen: int
    account_fen: int
    employer_fen: int
    employee_fen: int

    def __post_init__(self) -> None:
        _check_region(self.region)
        for name in ("base_fen", "account_fen", "employer_fen", "employee_fen"):
            _non_negative(getattr(self, name), name)

    @classmethod
    def stored(cls, region: str, month: Month, base_fen: int, account_fen: int, employer_fen: int,
               employee_fen: int) -> PaidMonth:
        """A month read back from the database, checked when it was recorded: not checked again
        (its slots set directly: a statement reads a working life of them)."""
        out = object.__new__(cls)
        _SET_REGION(out, region)
        _SET_MONTH(out, month)
        _SET_BASE(out, base_fen)
        _SET_ACCOUNT(out, account_fen)
        _SET_EMPLOYER(out, employer_fen)
        _SET_EMPLOYEE(out, employee_fen)
        return out


_SET_REGION, _SET_MONTH, _SET_BASE, _SET_ACCOUNT, _SET_EMPLOYER, _SET_EMPLOYEE = (
    getattr(PaidMonth, name).__set__
    for name in ("region", "month", "base_fen", "account_fen", "employer_fen", "employee_fen"))


def _non_negative(amount: int, name: str = "amount") -> int:
    if amount < 0:
        raise InvalidInput("amount.format", name, value=str(amount))
    return amount


def _round_fen(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))



def _fen(yuan: Decimal) -> int:
    return int((yuan * _HUNDRED).to_integral_value(rounding=ROUND_HALF_UP))


def _ratio(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(_RATE, rounding=ROUND_HALF_UP)


def unique_months(months: Iterable[PaidMonth]) -> list[PaidMonth]:
    """The months with repeats in the same pooling region dropped (the first one given is kept)."""
    seen: set[tuple[str, Month]] = set()
    out: list[PaidMonth] = []
    for m in months:
        key = (pooling_key(m.region), m.month)
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out


@dataclass(frozen=True, slots=True)
class PoolingYear:
    """One calendar year of the pooling-fund transfer."""

    year: int
    months: int
    base_total_fen: int
    pooling_fen: int


@dataclass(frozen=True, slots=True)
class TransferYears:
    """The pooling-fund transfer by year and in total."""

    years: tuple[PoolingYear, ...]
    total_fen: int


def pooling_transfer(months: Iterable[PaidMonth], since: Month | None = None) -> TransferYears:
    """The pooling-fund (employer) part that moves: 12% of the actual base of every paid month.

    Source: 国办发〔2009〕66号 第四条第（二）项 — months from 1998-01 (earlier ones ignored; by month,
    never by day). Per calendar year the bases are summed, times the share, rounded half up to the
    fen; the years are summed. `since` further limits the months counted.
    """
    start = rules().pooling_from if since is None else max(since, rules().pooling_from)
    share = rules().pooling_share
    by_year: dict[int, tuple[int, int]] = {}
    for m in unique_months(months):
        if m.month < start:
            continue
        n, base = by_year.get(m.month.year, (0, 0))
        by_year[m.month.year] = (n + 1, base + m.base_fen)
    years = tuple(PoolingYear(y, n, base, _round_fen(Decimal(base) * share))
                  for y, (n, base) in sorted(by_year.items()))
    return TransferYears(years, sum(y.pooling_fen for y in years))


@dataclass(frozen=True, slots=True)
class AccountYearRow:
    """One year row of the information table (信息表); rates are fractions of the year's bases."""

    year: int
    months: int
    base_total_fen: int
    employer_fen: int
    employee_fen: int
    employer_rate: Decimal | None
    personal_rate: Decimal | None
    account_rate: Decimal | None
    opening_fen: int
    credited_fen: int
    interest_rate: Decimal | None
    interest_fen: int | None  # None: the year is not over, or its rate is unknown
    closing_fen: int


@dataclass(frozen=True, slots=True)
class AccountTransfer:
    """The individual account that moves in full, with the information table's account lines.

    pre1998_fen: the balance at 1997-12-31 as given; to_last_year_end_fen: the balance at the end
    of the year before through_year minus pre1998_fen (it includes the interest the pre-1998 part
    earned from 1998); this_year_principal_fen: money credited in through_year; account_fen: the
    three together. complete is False when a past year's interest rate is unknown.
    """

    pre1998_fen: int
    to_last_year_end_fen: int
    this_year_principal_fen: int
    account_fen: int
    years: tuple[AccountYearRow, ...]
    complete: bool


def _check_through(months: Sequence[PaidMonth], through_year: int) -> None:
    for m in months:
        if m.month.year > through_year:
            raise InvalidInput("month.future", "month", value=str(m.month),
                               current=str(Month(through_year, MONTHS_IN_YEAR)))


def _roll(totals: Mapping[int, tuple[int, int, int]], interest_of: Callable[[int], Decimal | None],
          through_year: int, opening_fen: int) -> tuple[list[AccountYear], bool]:
    """roll_account on fen totals {year: (months, base_fen, credited_fen)}."""
    credited = {y: (n, yuan_of(b), yuan_of(c)) for y, (n, b, c) in totals.items()}
    return roll_account(credited, interest_of, through_year, yuan_of(opening_fen))


def account_transfer(
    months: Iterable[PaidMonth], interest_of: Callable[[int], Decimal | None], through_year: int,
    pre1998_balance_fen: int = 0,
) -> AccountTransfer:
    """The individual account balance moved in full, year by year.

    Source: 国办发〔2009〕66号 第四条第（一）项 — before 1998-01-01 the personal contributions with
    interest (given as pre1998_balance_fen; months before 1998-01 in `months` are ignored), from
    1998 everything credited to the account. Interest as in `roll_account`: a year's interest is the
    previous year-end balance times the year's rate, rounded to the fen; the year's new money earns
    nothing that year; through_year (the year of the transfer) gets no interest yet.
    """
    _non_negative(pre1998_balance_fen, "amount")
    cut = rules().pooling_from
    kept = [m for m in unique_months(months) if m.month >= cut]
    _check_through(kept, through_year)
    sums: dict[int, list[int]] = {}
    for m in kept:
        acc = sums.setdefault(m.month.year, [0, 0, 0, 0, 0])
        for i, amount in enumerate((1, m.base_fen, m.account_fen, m.employer_fen, m.employee_fen)):
            acc[i] += amount
    if pre1998_balance_fen:
        sums.setdefault(cut.year, [0, 0, 0, 0, 0])
    rolled, complete = _roll({y: (r[0], r[1], r[2]) for y, r in sums.items()}, interest_of,
                             through_year, pre1998_balance_fen)
    rows: list[AccountYearRow] = []
    for ay in rolled:
        n, base, credited, employer, employee = sums.get(ay.year, [0, 0, 0, 0, 0])
        rows.append(AccountYearRow(
            ay.year, n, base, employer, employee, _ratio(employer, base), _ratio(employee, base),
            _ratio(credited, base), _fen(ay.opening), credited, ay.rate,
            None if ay.interest is None else _fen(ay.interest), _fen(ay.closing)))
    past = [r.closing_fen for r in rows if r.year < through_year]
    last_end = past[-1] if past else pre1998_balance_fen
    this_year = sum(r.credited_fen for r in rows if r.year == through_year)
    return AccountTransfer(pre1998_balance_fen, last_end - pre1998_balance_fen, this_year,
                           last_end + this_year, tuple(rows), complete)


def years_without_interest(account: AccountTransfer, through_year: int) -> tuple[int, ...]:
    """Past years in which the account held money but earned no interest: their rate is unknown."""
    return tuple(r.year for r in account.years
                 if r.year < through_year and r.interest_fen is None and r.opening_fen)


def years_text(years: Iterable[int]) -> str:
    """Years as short text: runs of consecutive years as ranges ("1999-2015, 2025")."""
    runs: list[list[int]] = []
    for y in sorted(set(years)):
        if runs and y == runs[-1][1] + 1:
            runs[-1][1] = y
        else:
            runs.append([y, y])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


def temporary_account_total(
    months: Iterable[PaidMonth], interest_of: Callable[[int], Decimal | None], through_year: int,
) -> int:
    """Everything in a temporary account (临时基本养老保险缴费账户): all employer and employee money.

    Source: 国办发〔2009〕66号 第五条第（二）项 — it records all employer and personal contributions;
    at the next move or at retirement all of it with interest (全部缴费本息) is gathered. Interest
    as in `account_transfer`, on each year's employer plus employee sum.
    """
    kept = unique_months(months)
    _check_through(kept, through_year)
    totals: dict[int, tuple[int, int, int]] = {}
    for m in kept:
        n, base, paid = totals.get(m.month.year, (0, 0, 0))
        totals[m.month.year] = (n + 1, base + m.base_fen, paid + m.employer_fen + m.employee_fen)
    rolled, _ = _roll(totals, interest_of, through_year, 0)
    return _fen(rolled[-1].closing) if rolled else 0


@dataclass(frozen=True, slots=True)
class InfoLines:
    """The six money lines of the information table (信息表), in fen."""

    pre1998_fen: int
    to_last_year_end_fen: int
    this_year_principal_fen: int
    account_fen: int
    pooling_fen: int
    total_fen: int

    def check(self) -> bool:
        """Whether the account line is the sum of its three parts and the total adds up."""
        parts = self.pre1998_fen + self.to_last_year_end_fen + self.this_year_principal_fen
        return parts == self.account_fen and self.account_fen + self.pooling_fen == self.total_fen


def information_lines(account: AccountTransfer, pooling: TransferYears) -> InfoLines:
    """The money lines of the information table from the account and pooling transfers.

    Source: 国办发〔2009〕66号 第八条 and its information table (基本养老保险关系转移接续信息表).
    """
    return InfoLines(account.pre1998_fen, account.to_last_year_end_fen,
                     account.this_year_principal_fen, account.account_fen, pooling.total_fen,
                     account.account_fen + pooling.total_fen)


@dataclass(frozen=True, slots=True)
class Decision:
    """Whether a move needs a temporary account, with the rule applied and its figures."""

    temporary: bool
    rule: str
    age: int
    age_limit: int
    hukou_province: str
    to_province: str

    def params(self) -> dict[str, object]:
        """The figures for the rule's message."""
        return {"age": self.age, "limit": self.age_limit, "hukou_province": self.hukou_province,
                "to_province": self.to_province}


def age_on(birth_date: dt.date, on: dt.date) -> int:
    """Age in full years on a date; the birthday itself counts (29 February: from 1 March)."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def needs_temporary_account(
    sex: str, birth_date: dt.date, on: dt.date, hukou_region: str, from_region: str,
    to_region: str, approved: bool = False,
) -> Decision:
    """Whether the new place opens a temporary account instead of taking the relationship.

    Source: 国办发〔2009〕66号 第五条 — a man aged 50+ or a woman aged 40+ on the move date, moving
    to a province that is not the hukou province, keeps the relationship at the old place and gets
    a temporary account at the new one. No age limit moving back to the hukou province
    (normal.back_to_hukou_province) or for an approved transfer (normal.approved, 第五条第（三）项).
    A move within one province is not a cross-province move (normal.within_province). Otherwise
    normal.under_age or temporary.age_other_province.
    """
    if sex not in ("M", "F"):
        raise InvalidInput("sex.format", "sex")
    if birth_date > on:
        raise InvalidInput("id.birth_future", "birth_date", value=birth_date.isoformat())
    r = rules()
    limit = r.temporary_age_men if sex == "M" else r.temporary_age_women
    age = age_on(birth_date, on)
    home, old, new = province(hukou_region), province(from_region), province(to_region)

    def decide(temporary: bool, rule: str) -> Decision:
        return Decision(temporary, rule, age, limit, home, new)

    if new == home:
        return decide(False, "normal.back_to_hukou_province")
    if approved:
        return decide(False, "normal.approved")
    if r.temporary_cross_province_only and new == old:
        return decide(False, "normal.within_province")
    if age < limit:
        return decide(False, "normal.under_age")
    return decide(True, "temporary.age_other_province")


@dataclass(frozen=True, slots=True)
class PlaceDecision:
    """Where the pension will be paid: the region, the rule, and months/years by place."""

    region: str
    rule: str
    years: Mapping[str, Decimal]
    months: Mapping[str, int]


def pension_place(
    hukou_region: str, history: Sequence[tuple[str, int]], current_region: str,
    deemed: Mapping[str, int] | None = None,
) -> PlaceDecision:
    """The place that pays the pension (待遇领取地).

    Source: 国办发〔2009〕66号 第六条. history is the person's places in order as (region, months
    paid there), the current place normally last; months add up by place over all visits (a place
    is a province, 人社部规〔2016〕5号, or a pooling region: rules().place_level); deemed months
    (视同缴费) count for the region given (where the person worked then; a place known only from
    them counts as the earliest). In order:
    (1) the relationship is in the hukou place (hukou_level: province, as the measures define it,
        or pooling region) -> the current place, being the hukou place, pays ("place.hukou");
    (2) >= 10 years at the current place -> the current place ("place.current_10_years");
    (3) the most recent other place with >= 10 years -> that place, by the last code seen there
        ("place.previous_10_years");
    (4) otherwise relationship and funds go to the hukou place ("place.back_to_hukou").
    years is months / 12, cut (not rounded) to two decimals; decisions use whole months.
    """
    _check_region(hukou_region, "hukou_region")
    current = place_key(current_region)
    months: dict[str, int] = {}
    last_code: dict[str, str] = {}
    order: list[str] = []
    for region, n in (deemed or {}).items():
        key = place_key(region)
        months[key] = months.get(key, 0) + _non_negative(n, "month")
        last_code.setdefault(key, region)
    order.extend(k for k in months if all(place_key(r) != k for r, _ in history))
    for region, n in history:
        key = place_key(region)
        months[key] = months.get(key, 0) + _non_negative(n, "month")
        last_code[key] = region
        order.append(key)
    months.setdefault(current, 0)
    need = rules().pension_place_years * MONTHS_IN_YEAR
    frozen = MappingProxyType(dict(months))
    years = MappingProxyType({k: (Decimal(n) / MONTHS_IN_YEAR).quantize(_YEARS, ROUND_DOWN)
                              for k, n in months.items()})

    def decide(region: str, rule: str) -> PlaceDecision:
        return PlaceDecision(region, rule, years, frozen)

    if _hukou_matches(hukou_region, current_region):
        return decide(current_region, "place.hukou")
    if months[current] >= need:
        return decide(current_region, "place.current_10_years")
    for key in reversed(order):
        if key != current and months[key] >= need:
            return decide(last_code[key], "place.previous_10_years")
    return decide(hukou_region, "place.back_to_hukou")


@dataclass(frozen=True, slots=True)
class ResidentMerge:
    """The outcome of moving from the employees' to the residents' pension scheme."""

    allowed: bool
    rule: str
    account_moved_fen: int
    merged_months: int
    overlap_months: int
    refund_fen: int
    employee_months: int
    refunds: Mapping[int, int]  # year -> residents' personal contribution refunded, fen


def employee_to_resident(
    retirement_reached: bool, employee_months: Iterable[Month], resident_years: Mapping[int, int],
    account_fen: int,
) -> ResidentMerge:
    """Moving from the employees' to the residents' scheme (职工转入城乡居民养老保险).

    Source: 人社部发〔2014〕17号 — only after retirement age (else "resident.before_retirement")
    and with under 15 employee years, 180 months (else "resident.15_years_or_more"). The account
    moves, pooling money stays, the years are merged. A month covered by both counts once, as
    employee time, and its residents' contribution is refunded: a year's personal contribution
    (resident_years: year -> fen) covers its 12 months, so the refund is personal x overlapping
    months / 12, half up to the fen, per year, summed (a collective subsidy is not handled here).
    A refused move returns zeros.
    """
    _non_negative(account_fen)
    worked = set(employee_months)
    need = rules().resident_max_employee_years * MONTHS_IN_YEAR
    if not retirement_reached or len(worked) >= need:
        rule = "resident.15_years_or_more" if retirement_reached else "resident.before_retirement"
        return ResidentMerge(False, rule, 0, 0, 0, 0, len(worked), MappingProxyType({}))
    refunds: dict[int, int] = {}
    overlap_total = 0
    resident_only = 0
    for year, personal in sorted(resident_years.items()):
        _non_negative(personal)
        overlap = sum(1 for m in worked if m.year == year)
        overlap_total += overlap
        resident_only += MONTHS_IN_YEAR - overlap
        if overlap:
            refunds[year] = _round_fen(Decimal(personal) * overlap / MONTHS_IN_YEAR)
    return ResidentMerge(True, "resident.allowed", account_fen, len(worked) + resident_only,
                         overlap_total, sum(refunds.values()), len(worked),
                         MappingProxyType(refunds))


def medical_years(months_by_region: Mapping[str, int]) -> int:
    """Medical contribution months carried, accumulated across regions (医保发〔2021〕43号)."""
    return sum(_non_negative(n, "month") for n in months_by_region.values())


def unemployment_benefit_months(paid_months_total: int) -> int:
    """Longest unemployment benefit period in months by cumulative paid time, all regions added.

    Source: 失业保险条例 第十七条 — 1 to under 5 years: 12; 5 to under 10: 18; 10 or more: 24;
    under a year: none (第十四条 requires a full year).
    """
    _non_negative(paid_months_total, "month")
    out = 0
    for min_years, months in rules().unemployment_steps:
        if paid_months_total >= min_years * MONTHS_IN_YEAR:
            out = months
    return out


def duplicate_months(rows: Iterable[tuple[str, Month]]) -> list[tuple[Month, tuple[str, ...]]]:
    """Months paid in two or more different pooling regions, with those pooling keys, by month.

    One side of each such month must be refunded (a person may hold only one pension relationship;
    the 2009 interim measures on duplicate relationships and contributions).
    """
    by_month: dict[Month, set[str]] = {}
    for region, month in rows:
        by_month.setdefault(month, set()).add(pooling_key(region))
    return [(m, tuple(sorted(keys))) for m, keys in sorted(by_month.items()) if len(keys) > 1]


def step_due(start: dt.date, steps: int = 1, calendar: WorkCalendar | None = None) -> DueDate:
    """The due date after so many office steps of 15 working days each (国办发〔2009〕66号 第八条)."""
    cal = calendar or default_calendar()
    return cal.add_workdays(start, steps * rules().step_working_days)


RETIREMENT_GROUPS = ("60", "55", "50")


def retirement_group(sex: str, stored: str | None = None) -> str:
    """The retirement group of a person: men at 60; women at 55 (cadres, flexible workers) or 50
    (workers, the default) as stored for the person."""
    if sex not in ("M", "F"):
        raise InvalidInput("sex.format", "sex")
    if stored not in (None, "", *RETIREMENT_GROUPS):
        raise InvalidInput("retirement.group", "retirement_group", value=stored)
    if sex == "M":
        return "male"
    return "female55" if stored == "55" else "female50"


def retirement_date(group: str, birth_date: dt.date) -> dt.date:
    """The day a person reaches the statutory retirement age, with the rise from 2025.

    Source: the NPC Standing Committee decision of 2024-09-13 and its 办法 第一条: a birth month
    from the group's first delayed month on retires floor(months since it / step) + 1 months later,
    capped (men 60 -> 63, women 55 -> 58 by 4 birth-months a month; women 50 -> 55 by 2). The day
    is the birthday of that age and month (a month-end birthday falls on the month's last day).
    """
    g = rules().retirement_groups.get(group)
    if g is None:
        raise InvalidInput("retirement.group", "group", value=group)
    born = Month.of(birth_date)
    delay = 0
    if born >= g.from_birth:
        delay = min((born.index() - g.from_birth.index()) // g.step + 1, g.cap)
    return _add_months(birth_date, g.years * MONTHS_IN_YEAR + delay)


def original_retirement_date(group: str, birth_date: dt.date) -> dt.date:
    """The day a person reaches the group's original retirement age (60, 55 or 50), before the rise."""
    g = rules().retirement_groups.get(group)
    if g is None:
        raise InvalidInput("retirement.group", "group", value=group)
    return _add_months(birth_date, g.years * MONTHS_IN_YEAR)


def _add_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * MONTHS_IN_YEAR + day.month - 1 + months, MONTHS_IN_YEAR)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def flexible_range(group: str, birth_date: dt.date) -> tuple[dt.date, dt.date]:
    """The earliest and latest day the person may choose to retire (办法 第三条、第四条): up to the
    configured months before the statutory day, never before the original age; up to so many after."""
    statutory = retirement_date(group, birth_date)
    r = rules().flexible_retirement_months
    earliest = max(_add_months(statutory, -r["early"]), original_retirement_date(group, birth_date))
    return earliest, _add_months(statutory, r["late"])


def minimum_months(retirement_year: int) -> int:
    """The minimum contribution months for a monthly pension starting in the year (办法 第二条):
    180 until 2029, then 6 more each year from 2030, at most 240 (2039 on)."""
    m = rules().minimum_months
    if retirement_year < m["from_year"]:
        return m["base"]
    return min(m["base"] + m["step"] * (retirement_year - m["from_year"] + 1), m["cap"])
