"""When a person can retire and what is missing (国务院关于渐进式延迟法定退休年龄的办法, 2025).

The statutory day comes from the birth month and the person's original retirement group (men 60;
women 55 or 50, recorded on the person, default 50), with the rise from 2025; the flexible range is up
to three years before (never below the original age) and three years after. The minimum contribution
months are those of the retirement year (15 years until 2029, then 6 months more a year to 20). The
months counted are the whole record as this office knows it, every place, deemed years and months
before 1998 included, each month once (人社部规〔2016〕5号).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from desktop.core import pension_record as pr
from desktop.core import transfer_rules as tr
from desktop.core.errors import ShebaoError
from desktop.core.month import parse_date
from desktop.core.security import ANY, COUNTER
from desktop.core.services.record import gather
from desktop.core.services.workers import require_worker

if TYPE_CHECKING:
    from desktop.core.ledger import Ledger


@dataclass(frozen=True)
class RetirementInfo:
    """A person's retirement day, range, minimum and the months they have and lack."""

    worker: str
    group: str  # 60 | 55 | 50
    retirement_date: dt.date
    retirement_age_months: int
    earliest_date: dt.date
    latest_date: dt.date
    minimum_months: int
    months_counted: int
    missing_months: int
    reached: bool  # on the day asked, the statutory day has come
    monthly_cost: Decimal | None = None  # a month of extended payment at the lowest flexible base, today
    cost_basis: str = ""  # the base ratio and month the cost is at, or why it is unknown

    @property
    def extended_cost(self) -> Decimal | None:
        """What the missing months would cost paid as a flexible worker at the lowest base (today's
        figures; later years' bases rise with the average wage)."""
        return None if self.monthly_cost is None else self.monthly_cost * self.missing_months

    def as_json(self) -> dict[str, Any]:
        """The fields as the `retirement` command prints them."""
        return {"worker": self.worker, "retirement_group": self.group,
                "retirement_date": self.retirement_date.isoformat(),
                "retirement_age_months": self.retirement_age_months,
                "retirement_age": f"{self.retirement_age_months // 12}岁{self.retirement_age_months % 12}个月",
                "earliest_date": self.earliest_date.isoformat(), "latest_date": self.latest_date.isoformat(),
                "minimum_months": self.minimum_months, "months_counted": self.months_counted,
                "missing_months": self.missing_months, "reached": self.reached,
                "extended_monthly": None if self.monthly_cost is None else f"{self.monthly_cost:.2f}",
                "extended_cost": None if self.extended_cost is None else f"{self.extended_cost:.2f}",
                "extended_basis": self.cost_basis}


_GROUP_CODES = {"male": "60", "female55": "55", "female50": "50"}


class RetirementService:
    """The retirement day and eligibility; the person's retirement group."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    def set_group(self, worker: str, group: str) -> str:
        """Record the person's original retirement group (60, 55 or 50; a man is always 60)."""
        self._ledger.require(COUNTER)
        code = str(group or "").strip()
        with self._ledger.write() as s:
            w = require_worker(s, worker)
            tr.retirement_group(w.sex, code)  # refuses an unknown code with the reason
            w.retirement_group = code if w.sex == "F" else "60"
            return w.retirement_group

    def check(self, worker: str, on: object | None = None) -> RetirementInfo:
        """The person's retirement day and the months of the record known here against the minimum;
        reached: whether the statutory day has come by the day asked (default today)."""
        self._ledger.require(ANY)
        day = parse_date(on, "on") if on not in (None, "") else self._ledger.today()
        with self._ledger.read() as s:
            w = require_worker(s, worker)
            group = tr.retirement_group(w.sex, w.retirement_group)
            held = gather(s, w, None, self._ledger.today(), in_transit=True)  # (where it is held)
            counted = sum(p.months for p in pr.months_by_place(held.place_periods))
            key, birth = w.id_number or w.ssn, w.birth_date
        statutory = tr.retirement_date(group, birth)
        earliest, latest = tr.flexible_range(group, birth)
        need = tr.minimum_months(statutory.year)
        age = (statutory.year - birth.year) * 12 + statutory.month - birth.month
        try:
            month = self._ledger.flexible.month_cost()
            cost: Decimal | None = month.amount
            basis = (f"{month.month}，缴费基数{month.base:.2f}元"
                     f"（{month.month.year}年社会平均工资{month.average_wage:.2f}元的下限比例）")
        except ShebaoError as err:
            cost, basis = None, err.message()
        return RetirementInfo(key, _GROUP_CODES[group], statutory, age, earliest, latest, need, counted,
                              max(need - counted, 0), day >= statutory, cost, basis)
