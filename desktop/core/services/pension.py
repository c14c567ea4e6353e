"""The pension estimate at the counter (养老金测算) and the determination at the pension place (待遇核定).

Formulas: desktop/core/pension_rules.py (国发〔2005〕38号), each amount half up to the fen at the end
of its formula. Every year of the record is indexed with the pension place's average monthly wage
of that year (国办发〔2009〕66号 第七条); deemed years and months paid before 1998 index 1.0. The
basic pension counts every month of the record, each once, every place included.

An estimate projects to the retirement day: the months from now to the month before retirement
at base_ratio x the projected average wage (the latest entered wage grown by `growth` a year), 8%
of it to the account; the account rolled year by year at the `interest` assumption (interest on the
balance at the previous year end, half up to the fen; in the retirement year for the months before
the retirement month); the calculation base of the retirement year, projected with `growth` from
the latest entered when the province has not published it. A determination projects nothing: the
record as held, the base of the starting year as entered, the account without the current year's
interest (credited when its rate is published).

Office data: the calculation base by region and year, the transitional coefficient by province
(and whether it counts months paid before 1998), the office's own month-by-month divisors; stored as
office settings (this installation's data, not sent to other offices).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.core import pension_record as pr
from desktop.core import pension_rules as rules
from desktop.core import transfer_rules as tr
from desktop.core.draft import DRAFT_NUMBER, Draft, mark_draft
from desktop.core.errors import InvalidInput, RefusedByRule
from desktop.core.forms.render import render
from desktop.core.money import parse_amount, parse_rate, to_fen, yuan_of
from desktop.core.month import Month, parse_date
from desktop.core.refdata import Reference
from desktop.core.regions import fallback_chain, province_of, validate_region
from desktop.core.security import ADMIN, ANY, COUNTER, SUPERVISE
from desktop.core.services.documents import forms, next_number, register
from desktop.core.services.office import load_office
from desktop.core.services.pension_forms import (
    DETERMINATION,
    ESTIMATE,
    determination_data,
    estimate_data,
)
from desktop.core.services.record import (
    HeldRecord,
    gather,
    home_region,
    pooling_units,
    temporary_accounts,
)
from desktop.core.services.workers import require_worker
from desktop.core.store.models import OfficeSetting, PensionDetermination, TransferCase, Worker
from desktop.core.strict import is_decimal_text, is_digits

if TYPE_CHECKING:
    from desktop.core.ledger import Ledger

BASE_SETTING = "pension.base."  # + region + "." + year: the calculation base (yuan)
TRANSITIONAL_SETTING = "pension.transitional."  # + province: the coefficient
PRE1998_SETTING = "pension.transitional_pre1998."  # + province: "1" when months before 1998 count
DIVISOR_SETTING = "pension.divisor."  # + age in months: the office's own divisor
ELSEWHERE = "000000"  # "another province" in the move scenario when none is named
SCENARIO_LABELS = {"keep": "在本地继续缴费", "move": "转往外省继续缴费", "stop": "即日起停止缴费",
                   "flexible_60": "以灵活就业人员身份按60%缴费", "flexible_100": "以灵活就业人员身份按100%缴费",
                   "flexible_300": "以灵活就业人员身份按300%缴费"}
_ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Scenario:
    """One way to the retirement day, side by side with the others.

    monthly_contribution: what the person pays a month in the first projected month (keep/move: the
    employee's share; flexible: all 20%; stop: nothing). balance_path: (year, account balance at the
    year end, or at retirement in its year) up to retirement. qualifies: the months reach the
    minimum of the retirement year. place_region / place_rule: where the pension would be paid
    (move: the new place when None).
    """

    name: str
    label: str
    months_counted: int
    average_index: Decimal
    indexed_wage: Decimal
    basic: Decimal
    account_balance: Decimal
    account_pension: Decimal
    transitional: Decimal
    total: Decimal
    monthly_contribution: Decimal
    balance_path: tuple[tuple[int, Decimal], ...]
    qualifies: bool
    place_region: str | None = None
    place_rule: str = ""


@dataclass(frozen=True)
class Estimate:
    """A pension estimate (养老金测算): the keep-paying-here figures, the assumptions and the scenarios.

    months_counted: the record's months and the projected ones; notes: in Chinese, what was
    projected, interpolated or taken as 1.0.
    """

    worker: str
    name: str
    region: str
    retirement_date: dt.date
    retirement_age_months: int
    statutory_date: dt.date
    record_months: int
    projected_months: int
    months_counted: int
    minimum_months: int
    calc_base: Decimal
    calc_base_year: int
    calc_base_projected: bool
    average_index: Decimal
    indexed_wage: Decimal
    basic: Decimal
    account_balance_now: Decimal
    account_balance: Decimal
    divisor: Decimal
    divisor_source: str
    account_pension: Decimal
    transitional_months: int
    transitional_rate: Decimal | None
    transitional: Decimal
    total: Decimal
    growth: Decimal
    interest: Decimal
    base_ratio: Decimal
    notes: tuple[str, ...]
    scenarios: tuple[Scenario, ...]

    def scenario(self, name: str) -> Scenario:
        """The scenario of the name."""
        return next(s for s in self.scenarios if s.name == name)


@dataclass(frozen=True)
class EstimateSheet:
    """A printed estimate: its number, verification code and PDF."""

    estimate: Estimate
    number: str
    code: str
    pdf: bytes


@dataclass(frozen=True)
class Determination:
    """A determined pension (基本养老金核定): the first monthly pension by component."""

    worker: str
    name: str
    region: str
    starts_on: dt.date
    first_month: Month
    age_months: int
    months_counted: int
    transitional_months: int
    calc_base: Decimal
    average_index: Decimal
    indexed_wage: Decimal
    basic: Decimal
    account_balance: Decimal
    divisor: Decimal
    account_pension: Decimal
    transitional: Decimal
    total: Decimal
    number: str
    decided_on: dt.date
    requested_by: str
    decided_by: str
    code: str = ""
    pdf: bytes = b""


@dataclass(frozen=True)
class _Record:
    """What the record held here gives a pension: months, index terms, money."""

    held: HeldRecord
    months: int  # every month known, each once
    index_sum: Decimal  # sum over paid months since 1998 of base / average wage of the year
    index_months: int
    flat_months: int  # deemed and before 1998: index 1.0
    transitional_months: int
    last_end: Decimal  # account at the end of last year
    this_year: Decimal  # principal credited this year
    last_month: Month | None
    missing_interest: tuple[int, ...]


def _rate(value: object, field: str) -> Decimal:
    return parse_rate(value, field)


def _ratio(value: object) -> Decimal:
    lo, hi = rules.params().base_ratio_range
    if not is_decimal_text(str(value).strip()):
        raise InvalidInput("rate.format", "base_ratio", value=value)
    try:
        r = Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidInput("rate.format", "base_ratio", value=value) from None
    if not r.is_finite() or not lo <= r <= hi:
        raise InvalidInput("pension.base_ratio", "base_ratio", value=value, low=lo, high=hi)
    return r


def _setting(s: Session, key: str) -> str | None:
    row = s.get(OfficeSetting, key)
    return row.value if row is not None else None


def _put(s: Session, key: str, value: str) -> None:
    row = s.get(OfficeSetting, key)
    if row is None:
        s.add(OfficeSetting(key=key, value=value))
    else:
        row.value = value


def calc_bases(s: Session, region: str) -> dict[int, Decimal]:
    """The calculation bases entered for the region (or the nearest of its parents), by year."""
    for code in fallback_chain(region):
        prefix = f"{BASE_SETTING}{code}."
        rows = s.scalars(select(OfficeSetting).where(OfficeSetting.key.like(f"{prefix}%"))).all()
        if rows:
            return {int(r.key[len(prefix):]): Decimal(r.value) for r in rows}
    return {}


def own_divisors(s: Session) -> dict[int, Decimal]:
    """The office's own divisors by age in months."""
    rows = s.scalars(select(OfficeSetting).where(OfficeSetting.key.like(f"{DIVISOR_SETTING}%")))
    return {int(r.key[len(DIVISOR_SETTING):]): Decimal(r.value) for r in rows}


def _transitional(s: Session, region: str) -> tuple[Decimal | None, bool]:
    code = province_of(region)
    rate = _setting(s, TRANSITIONAL_SETTING + code)
    return (Decimal(rate) if rate is not None else None), _setting(s, PRE1998_SETTING + code) == "1"


def _read(s: Session, w: Worker, where: str, region: str, ref: Reference, today: dt.date) -> _Record:
    """The record held in where's unit, indexed with region's average wages."""
    held = gather(s, w, where, today, in_transit=True)
    places = pr.months_by_place(held.place_periods)
    months = sum(p.months for p in places)
    kinds: dict[str, int] = {}
    for p in places:
        for k, n in p.by_kind.items():
            kinds[k] = kinds.get(k, 0) + n
    _, pre1998 = _transitional(s, region)
    counted = set(rules.params().transitional_kinds) | ({"pre1998"} if pre1998 else set())
    money = held.money(ref.interest, today.year)
    index_sum, index_months = Decimal(0), 0
    for y in money.years:
        if not y.months:
            continue
        found = ref.average_wage(region, y.year)
        if found is None:
            raise RefusedByRule("pension.no_average_wage", "year", year=y.year, region=region)
        index_sum += yuan_of(y.base_total_fen) / found[1]
        index_months += y.months
    paid = [p.last for p in held.place_periods if p.kind == "paid"]
    return _Record(held, months, index_sum, index_months, kinds.get("deemed", 0) + kinds.get("pre1998", 0),
                   sum(n for k, n in kinds.items() if k in counted),
                   yuan_of(money.pre1998_fen + money.to_last_year_end_fen),
                   yuan_of(money.this_year_principal_fen), max(paid) if paid else None,
                   money.years_without_interest(today.year))


def _latest_wage(ref: Reference, region: str, upto: int) -> tuple[int, Decimal] | None:
    for year in range(upto, 1949, -1):
        found = ref.average_wage(region, year)
        if found is not None:
            return year, found[1]
    return None


class PensionService:
    """Office pension data, the estimate at the counter and the determination at the pension place."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    # -- office data ----------------------------------------------------------------------

    def set_base(self, region: str, year: object, monthly: object) -> tuple[str, int, Decimal]:
        """The province's published calculation base (计发基数) for pensions starting in the year."""
        self._ledger.require(ADMIN)
        code = validate_region(region, "region")
        text = str(year).strip()
        if not is_digits(text) or not 1998 <= int(text) <= 2999:
            raise InvalidInput("year.format", "year", value=text)
        amount = parse_amount(monthly, "monthly")
        if amount <= 0:
            raise InvalidInput("amount.positive", "monthly")
        with self._ledger.write() as s:
            _put(s, f"{BASE_SETTING}{code}.{int(text)}", f"{amount:.2f}")
        return code, int(text), amount

    def set_transitional(self, region: str, rate: object, pre1998: bool = False) -> tuple[str, Decimal, bool]:
        """The province's transitional-pension coefficient (过渡性养老金计发系数, e.g. 0.012) and whether
        its transitional pension also counts months paid before 1998."""
        self._ledger.require(ADMIN)
        code = province_of(validate_region(region, "region"))
        r = _rate(rate, "rate")
        if r > Decimal("0.05"):
            raise InvalidInput("pension.coefficient", "rate", value=rate)
        with self._ledger.write() as s:
            _put(s, TRANSITIONAL_SETTING + code, str(r))
            _put(s, PRE1998_SETTING + code, "1" if pre1998 else "0")
        return code, r, pre1998

    def set_divisor(self, age: object, months: object, value: object) -> tuple[int, Decimal]:
        """The office's own divisor for an age with extra months (its province's published table)."""
        self._ledger.require(ADMIN)
        if not (is_digits(str(age).strip()) and is_digits(str(months).strip())
                and is_decimal_text(str(value).strip())):
            raise InvalidInput("pension.divisor", "value", value=value)
        try:
            years, extra, div = int(str(age)), int(str(months)), Decimal(str(value).strip())
        except (ValueError, InvalidOperation):
            raise InvalidInput("pension.divisor", "value", value=value) from None
        table = rules.divisor_table()
        if not min(table) <= years <= max(table) or not 0 <= extra < rules.MONTHS_IN_YEAR:
            raise InvalidInput("pension.divisor_age_input", "age", age=f"{age}/{months}", low=min(table),
                               high=max(table))
        if not div.is_finite() or div <= 0 or div > max(table.values()):
            raise InvalidInput("pension.divisor", "value", value=value)
        with self._ledger.write() as s:
            _put(s, f"{DIVISOR_SETTING}{years * rules.MONTHS_IN_YEAR + extra}", str(div))
        return years * rules.MONTHS_IN_YEAR + extra, div

    def divisor(self, age_months: int) -> rules.Divisor:
        """The divisor for an age in months: the office's own, the table's, or interpolated."""
        self._ledger.require(ANY)
        with self._ledger.read() as s:
            return rules.divisor(age_months, own_divisors(s))

    # -- estimate -------------------------------------------------------------------------

    def estimate(self, worker: str, retire_on: object | None = None, growth: object | None = None,
                 interest: object | None = None, base_ratio: object | None = None,
                 move_to: str | None = None) -> Estimate:
        """What the person's pension would be at retirement, with the scenarios side by side.

        retire_on: a day in the flexible range (default the statutory day). growth: the yearly
        growth of the average wage and of the calculation base (default resources/pension.toml);
        interest: the crediting rate from this year on (default the latest known); base_ratio: the
        future base as a share of the average wage (0.6 .. 3.0, default 1.0); move_to: the region
        of the move scenario (default: another province). Amounts half up to the fen at the end of
        each formula (pension_rules). Refused: a person drawing a pension, no average wage for a
        year of the record (named), no calculation base at all.
        """
        self._ledger.require(ANY)
        p = rules.params()
        g = _rate(growth, "growth") if growth not in (None, "") else p.growth
        ratio = _ratio(base_ratio) if base_ratio not in (None, "") else p.base_ratio
        target = validate_region(move_to, "region") if move_to not in (None, "") else None
        today = self._ledger.today()
        with self._ledger.read() as s:
            return self._estimate(s, require_worker(s, worker), today, retire_on, g, interest, ratio, target)

    def _estimate(self, s: Session, w: Worker, today: dt.date, retire_on: object | None, g: Decimal,
                  interest: object | None, ratio: Decimal, target: str | None) -> Estimate:
        p = rules.params()
        if w.pension_since is not None:
            raise RefusedByRule("pension.drawing", "worker", since=w.pension_since.isoformat())
        ref = Reference(s)
        latest_rate = next((r for y in range(today.year, 1997, -1) if (r := ref.interest(y)) is not None), None)
        rate = _rate(interest, "interest") if interest not in (None, "") else latest_rate
        if rate is None:
            raise RefusedByRule("pension.no_interest", "interest")
        group = tr.retirement_group(w.sex, w.retirement_group)
        statutory = tr.retirement_date(group, w.birth_date)
        earliest, latest = tr.flexible_range(group, w.birth_date)
        day = parse_date(retire_on, "retire_on") if retire_on not in (None, "") else statutory
        if not earliest <= day <= latest:
            raise RefusedByRule("pension.start_range", "retire_on", date=day.isoformat(),
                                earliest=earliest.isoformat(), latest=latest.isoformat())
        where = home_region(s, w)
        region = where
        rec = _read(s, w, where, region, ref, today)
        notes: list[str] = []
        # the calculation base of the retirement year
        bases = calc_bases(s, region)
        if day.year in bases:
            base, projected = bases[day.year], False
        else:
            earlier = [y for y in bases if y < day.year]
            if not earlier:
                raise RefusedByRule("pension.no_calc_base", "year", region=region, year=day.year)
            k = max(earlier)
            base, projected = rules.grown(bases[k], g, day.year - k), True
            notes.append(f"{day.year}年计发基数尚未录入，按{k}年{bases[k]:.2f}元每年增长{_pct(g)}推算为{base:.2f}元")
        # the months from now to the month before retirement
        start = Month.of(today)
        if rec.last_month is not None and rec.last_month >= start:
            start = rec.last_month.add(1)
        future = [start.add(i) for i in range(max(Month.of(day).index() - start.index(), 0))]
        wages: dict[int, Decimal] = {}
        if future:
            latest_wage = _latest_wage(ref, region, future[-1].year)
            if latest_wage is None:
                raise RefusedByRule("pension.no_average_wage", "year", year=today.year, region=region)
            ly, lw = latest_wage
            for y in sorted({m.year for m in future}):
                found = ref.average_wage(region, y)
                wages[y] = found[1] if found is not None and y <= ly else rules.grown(lw, g, y - ly)
            if max(wages) > ly:
                notes.append(f"{ly + 1}年起的社会平均工资按{ly}年{lw:.2f}元每年增长{_pct(g)}推算")
        div = rules.divisor(rules.age_in_months(w.birth_date, day), own_divisors(s))
        if div.interpolated:
            notes.append(f"退休年龄{rules.age_text(rules.age_in_months(w.birth_date, day))}的计发月数"
                         f"{div.value}按整岁计发月数线性插值，以本省公布的数值为准")
        coef, _ = _transitional(s, region)
        if rec.transitional_months and coef is None:
            raise RefusedByRule("pension.no_transitional", "worker", province=province_of(region),
                                months=rec.transitional_months)
        if rec.flat_months:
            notes.append(f"视同缴费年限及1998年前缴费{rec.flat_months}个月的缴费指数按1.0计")
        if rec.missing_interest:
            notes.append("以下年度记账利率未知，未计利息：" + "、".join(str(y) for y in rec.missing_interest))
        need = tr.minimum_months(day.year)
        row = ref.rate(region, "pension", future[0] if future else Month.of(today), None)
        employee_account = row.account if row is not None and row.account is not None else p.flexible_account_rate
        employee_rate = row.employee if row is not None else p.flexible_account_rate

        def run(name: str, months: list[Month], r: Decimal, account_rate: Decimal, pay_rate: Decimal) -> Scenario:
            credits = {m: to_fen(to_fen(r * wages[m.year]) * account_rate) for m in months}
            balance, path = rec.last_end, []
            for year in range(today.year, day.year + 1):
                principal = sum((c for m, c in credits.items() if m.year == year), _ZERO)
                if year == today.year:
                    principal += rec.this_year
                if year < day.year:
                    balance += to_fen(balance * rate) + principal
                else:
                    balance += to_fen(balance * rate * (day.month - 1) / rules.MONTHS_IN_YEAR) + principal
                path.append((year, balance))
            if not path:  # the retirement day is past: the account as held
                balance = rec.last_end + rec.this_year
                path.append((today.year, balance))
            index = rules.average_index(rec.index_sum + rec.flat_months + r * len(months),
                                        rec.index_months + rec.flat_months + len(months))
            indexed = rules.indexed_wage(base, index)
            counted = rec.months + len(months)
            basic = rules.basic_pension(base, indexed, counted)
            acc = rules.account_pension(balance, div.value)
            trans = rules.transitional_pension(indexed, rec.transitional_months, coef) if coef is not None \
                else _ZERO
            cost = to_fen(to_fen(r * wages[months[0].year]) * pay_rate) if months else _ZERO
            return Scenario(name, SCENARIO_LABELS[name], counted, index, indexed, basic, balance, acc, trans,
                            basic + acc + trans, cost, tuple(path), counted >= need)

        keep = run("keep", future, ratio, employee_account, employee_rate)
        out = [keep]
        history = [(x.last_region, x.months) for x in pr.months_by_place(rec.held.place_periods)]
        new = target or ELSEWHERE
        decision = tr.pension_place(w.hukou_region or where, [*history, (new, len(future))], new)
        moved = run("move", future, ratio, employee_account, employee_rate)
        out.append(replace(moved, place_region=None if decision.region == ELSEWHERE else decision.region,
                           place_rule=decision.rule))
        out.append(run("stop", [], ratio, employee_account, employee_rate))
        for r in p.flexible_ratios:
            out.append(run(f"flexible_{int(r * 100)}", future, r, p.flexible_account_rate, p.flexible_rate))
        if future:
            notes.append(f"自{future[0]}至{future[-1]}按缴费基数为社会平均工资的{_pct(ratio)}预计缴费"
                         f"{len(future)}个月，个人账户按年记账利率{_pct(rate)}预计")
        return Estimate(
            w.id_number or w.ssn, w.name, region, day, rules.age_in_months(w.birth_date, day), statutory,
            rec.months, len(future), keep.months_counted, need, base, day.year, projected, keep.average_index,
            keep.indexed_wage, keep.basic, rec.last_end + rec.this_year, keep.account_balance, div.value,
            div.source, keep.account_pension, rec.transitional_months, coef, keep.transitional, keep.total,
            g, rate, ratio, tuple(notes), tuple(out))

    def estimate_pdf(self, worker: str, retire_on: object | None = None, growth: object | None = None,
                     interest: object | None = None, base_ratio: object | None = None,
                     move_to: str | None = None, clerk: str = "") -> EstimateSheet:
        """Print the estimate (养老金测算表, marked 测算 — 仅供参考), numbered and verifiable."""
        self._ledger.require(COUNTER)
        clerk = clerk or self._ledger.actor_name() or "—"
        est = self.estimate(worker, retire_on, growth, interest, base_ratio, move_to)
        today = self._ledger.today()
        with self._ledger.write() as s:
            office = load_office(s)
            w = require_worker(s, worker)
            number = next_number(s, office, ESTIMATE, today)
            data = estimate_data(office, w, est, number, today, clerk)
            code = register(s, ESTIMATE, office, w, data, number, today, self._ledger.now())
        return EstimateSheet(est, number, code, render(forms()[ESTIMATE], data, code).pdf)

    def estimate_draft(self, worker: str, retire_on: object | None = None, growth: object | None = None,
                       interest: object | None = None, base_ratio: object | None = None,
                       move_to: str | None = None, clerk: str = "") -> Draft:
        """The estimate sheet as estimate_pdf would print it, to look at first: marked 预览 — 未编号,
        no number, no code, nothing registered."""
        self._ledger.require(COUNTER)
        clerk = clerk or self._ledger.actor_name() or "—"
        est = self.estimate(worker, retire_on, growth, interest, base_ratio, move_to)
        today = self._ledger.today()
        with self._ledger.read() as s:
            office = load_office(s)
            w = require_worker(s, worker)
            data = estimate_data(office, w, est, DRAFT_NUMBER, today, clerk)
            key = w.id_number or w.ssn
        out = render(forms()[ESTIMATE], data)
        return Draft(ESTIMATE, key, mark_draft(out.pdf), out.pages)

    # -- determination --------------------------------------------------------------------

    def determine(self, worker: str, starts_on: object | None = None, requested_by: str = "") -> Determination:
        """Determine the pension at the pension place (a supervisor; a clerk files
        `ledger.approvals.request_determination`). Checks, each refused with its reason and nothing
        written: not drawing already; the statutory day reached, or a chosen day in the flexible
        range that has come; no open transfer case; every temporary account gathered; this office
        is the pension place; the minimum months of the starting year met; the calculation base of
        that year entered; the crediting rates of past years known. Then the first monthly pension
        by component on the record as held (no projection) is stored, the 基本养老金核定表 issued and
        the person marked as drawing a pension from the day."""
        self._ledger.require(SUPERVISE)
        decider = self._ledger.actor_name() or "—"
        requested_by = requested_by or decider
        today = self._ledger.today()
        with self._ledger.write() as s:
            office = load_office(s)
            w = require_worker(s, worker)
            d = self._determine(s, w, office.region, today, starts_on, requested_by, decider)
            data = determination_data(office, w, d, today, rules.age_text(d.age_months))
            code = register(s, DETERMINATION, office, w, data, d.number, today, self._ledger.now())
        return replace(d, code=code, pdf=render(forms()[DETERMINATION], data, code).pdf)

    def _determine(self, s: Session, w: Worker, here: str, today: dt.date, starts_on: object | None,
                   requested_by: str, decider: str) -> Determination:
        if w.pension_since is not None:
            raise RefusedByRule("pension.drawing", "worker", since=w.pension_since.isoformat())
        group = tr.retirement_group(w.sex, w.retirement_group)
        statutory = tr.retirement_date(group, w.birth_date)
        earliest, latest = tr.flexible_range(group, w.birth_date)
        day = parse_date(starts_on, "starts_on") if starts_on not in (None, "") else statutory
        if not earliest <= day <= latest:
            raise RefusedByRule("pension.start_range", "starts_on", date=day.isoformat(),
                                earliest=earliest.isoformat(), latest=latest.isoformat())
        if day > today:
            raise RefusedByRule("pension.not_reached", "starts_on", date=day.isoformat())
        unit = tr.pooling_key(here)
        for c in s.scalars(select(TransferCase).where(TransferCase.worker_id == w.id,
                                                      TransferCase.status != "received")):
            # a case settled out of here is done for this office (the money is out)
            if not (c.status == "settled" and tr.pooling_key(c.from_region) == unit
                    and tr.pooling_key(c.to_region) != unit):
                raise RefusedByRule("pension.open_case", "worker", case=c.number)
        for t in temporary_accounts(s, w):
            if t.state != "gathered":
                raise RefusedByRule("pension.temporary_open", "worker", region=t.region,
                                    state={"open": "使用中", "sealed": "已封存"}[t.state])
        where = home_region(s, w)
        ref = Reference(s)
        rec = _read(s, w, where, here, ref, today)
        units = pooling_units(s)
        place = pr.place_of(w.hukou_region or where, rec.held.place_periods, where)
        if not (units.same(place.region, here, today) and units.same(where, here, today)):
            raise RefusedByRule("pension.not_pension_place", "worker", region=place.region, rule=place.rule)
        need = tr.minimum_months(day.year)
        if rec.months < need:
            raise RefusedByRule("pension.minimum", "worker", months=rec.months, need=need, year=day.year)
        if rec.missing_interest:
            raise RefusedByRule("pension.interest_unknown", "worker",
                                years="、".join(str(y) for y in rec.missing_interest))
        bases = calc_bases(s, here)
        if day.year not in bases:
            raise RefusedByRule("pension.no_calc_base", "year", region=here, year=day.year)
        coef, _ = _transitional(s, here)
        if rec.transitional_months and coef is None:
            raise RefusedByRule("pension.no_transitional", "worker", province=province_of(here),
                                months=rec.transitional_months)
        base = bases[day.year]
        age = rules.age_in_months(w.birth_date, day)
        div = rules.divisor(age, own_divisors(s))
        index = rules.average_index(rec.index_sum + rec.flat_months, rec.index_months + rec.flat_months)
        indexed = rules.indexed_wage(base, index)
        basic = rules.basic_pension(base, indexed, rec.months)
        balance = rec.last_end + rec.this_year
        acc = rules.account_pension(balance, div.value)
        trans = rules.transitional_pension(indexed, rec.transitional_months, coef) if coef is not None else _ZERO
        office = load_office(s)
        number = next_number(s, office, DETERMINATION, today)
        first = Month.of(day).add(1)
        d = Determination(w.id_number or w.ssn, w.name, here, day, first, age, rec.months, rec.transitional_months,
                          base, index, indexed, basic, balance, div.value, acc, trans, basic + acc + trans, number,
                          today, requested_by[:60], decider[:60])
        s.add(PensionDetermination(
            worker_id=w.id, region=here, starts_on=day, first_month=first.as_int(), age_months=age,
            months_counted=rec.months, transitional_months=rec.transitional_months, calc_base=base,
            average_index=str(index), indexed_wage=indexed, basic=basic, account_balance=balance,
            divisor=str(div.value), account_pension=acc, transitional=trans, total=d.total, document_number=number,
            decided_on=today, requested_by=d.requested_by, decided_by=d.decided_by, created_at=self._ledger.now()))
        w.pension_since = day
        return d

    def show(self, worker: str) -> Determination | None:
        """The person's stored determination, or None."""
        self._ledger.require(ANY)
        with self._ledger.read() as s:
            w = require_worker(s, worker)
            r = s.scalars(select(PensionDetermination).where(PensionDetermination.worker_id == w.id)).first()
            if r is None:
                return None
            return Determination(w.id_number or w.ssn, w.name, r.region, r.starts_on, Month.from_int(r.first_month),
                                 r.age_months, r.months_counted, r.transitional_months, r.calc_base,
                                 Decimal(r.average_index), r.indexed_wage, r.basic, r.account_balance,
                                 Decimal(r.divisor), r.account_pension, r.transitional, r.total,
                                 r.document_number or "", r.decided_on, r.requested_by, r.decided_by)


def _pct(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}%"
