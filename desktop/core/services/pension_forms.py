"""The values of the pension forms: the estimate sheet (养老金测算表) and the determination
(基本养老金核定表)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from desktop.core import pension_rules as rules
from desktop.core.forms.render import DocumentData
from desktop.core.forms.spec import format_value
from desktop.core.money import fmt
from desktop.core.regions import name_of
from desktop.core.services.documents import KINDS, person_values
from desktop.core.services.office import contact_values
from desktop.core.store.models import Office, Worker

if TYPE_CHECKING:
    from desktop.core.services.pension import Determination, Estimate

ESTIMATE, DETERMINATION = "pension-estimate", "pension-determination"
DIVISOR_SOURCES = {"office": "本省公布的月龄计发月数", "table": "国发〔2005〕38号附件计发月数表",
                   "interpolated": "按整岁计发月数线性插值"}


def _pct(rate: object) -> str:
    from decimal import Decimal

    return f"{(Decimal(str(rate)) * 100).normalize():f}%"


def _months(n: int) -> str:
    y, m = divmod(n, rules.MONTHS_IN_YEAR)
    return f"{n}个月（{y}年" + (f"{m}个月" if m else "") + "）"


def _common(office: Office, w: Worker, kind: str, number: str, today: dt.date, clerk: str) -> dict[str, str]:
    return {"office.name": office.name, "office.code": office.code, "office.region": office.region,
            "office.region_name": name_of(office.region), "doc.number": number, "doc.date": today.isoformat(),
            "doc.kind_name": KINDS[kind][1], "doc.clerk": clerk, **person_values(w), **contact_values(office)}


def estimate_data(office: Office, w: Worker, e: Estimate, number: str, today: dt.date, clerk: str) -> DocumentData:
    """The estimate sheet's values: each component, the assumptions, the scenarios, the notes."""
    base_note = f"{e.calc_base_year}年" + ("（推算）" if e.calc_base_projected else "（已公布）")
    values = {
        **_common(office, w, ESTIMATE, number, today, clerk),
        "est.region": f"{e.region} {name_of(e.region)}", "est.retirement_date": e.retirement_date.isoformat(),
        "est.statutory_date": e.statutory_date.isoformat(), "est.age": rules.age_text(e.retirement_age_months),
        "est.months_counted": _months(e.months_counted),
        "est.record_months": f"{e.record_months}个月", "est.projected_months": f"{e.projected_months}个月",
        "est.minimum_months": _months(e.minimum_months), "est.calc_base": fmt(e.calc_base),
        "est.calc_base_note": base_note, "est.average_index": str(e.average_index),
        "est.indexed_wage": fmt(e.indexed_wage), "est.basic": fmt(e.basic),
        "est.account_now": fmt(e.account_balance_now), "est.account_balance": fmt(e.account_balance),
        "est.divisor": str(e.divisor), "est.divisor_note": DIVISOR_SOURCES[e.divisor_source],
        "est.account_pension": fmt(e.account_pension),
        "est.transitional_months": f"{e.transitional_months}个月",
        "est.transitional_rate": _pct(e.transitional_rate) if e.transitional_rate is not None else "—",
        "est.transitional": fmt(e.transitional), "est.total": fmt(e.total),
        "est.assumptions": (f"社会平均工资及计发基数年增长率{_pct(e.growth)}；个人账户记账利率{_pct(e.interest)}；"
                            f"今后缴费基数为社会平均工资的{_pct(e.base_ratio)}"),
        "doc.essential": f"estimate;{e.retirement_date.isoformat()};months:{e.months_counted};total:{fmt(e.total)}"}
    scenarios = [{"label": x.label, "months": str(x.months_counted), "basic": fmt(x.basic),
                  "account_pension": fmt(x.account_pension), "transitional": fmt(x.transitional),
                  "total": format_value(fmt(x.total), "money") + ("" if x.qualifies else "*"),
                  "cost": fmt(x.monthly_contribution)}
                 for x in e.scenarios]
    notes = [{"text": n} for n in e.notes]
    if not all(x.qualifies for x in e.scenarios):
        notes.append({"text": f"*缴费年限不足{e.retirement_date.year}年最低缴费年限，"
                              "须延长缴费或一次性补缴后方可按月领取基本养老金"})
    return DocumentData(values, {"scenarios": scenarios, "notes": notes})


def determination_data(office: Office, w: Worker, d: Determination, today: dt.date, age: str) -> DocumentData:
    """The determination's values: the first monthly pension by component."""
    values = {
        **_common(office, w, DETERMINATION, d.number, today, d.requested_by),
        "det.region": f"{d.region} {name_of(d.region)}", "det.starts_on": d.starts_on.isoformat(),
        "det.first_month": str(d.first_month), "det.age": age, "det.months_counted": _months(d.months_counted),
        "det.transitional_months": f"{d.transitional_months}个月", "det.calc_base": fmt(d.calc_base),
        "det.average_index": str(d.average_index), "det.indexed_wage": fmt(d.indexed_wage),
        "det.basic": fmt(d.basic), "det.account_balance": fmt(d.account_balance), "det.divisor": str(d.divisor),
        "det.account_pension": fmt(d.account_pension), "det.transitional": fmt(d.transitional),
        "det.total": fmt(d.total), "det.supervisor": d.decided_by,
        "doc.essential": f"determination;{d.starts_on.isoformat()};months:{d.months_counted};"
                         f"total:{fmt(d.total)}"}
    return DocumentData(values, {})
