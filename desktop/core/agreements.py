"""China's bilateral social security agreements as data, and the rules for certificates of coverage.

The agreements come from resources/agreements.toml; an office's corrections (stored in the database,
with who, when and why) override single values. The rule functions are pure: they take plain values
and raise RefusedByRule naming the rule.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import tomllib
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from typing import Any

from desktop.core.errors import RefusedByRule
from desktop.core.paths import resources_dir

# A certificate of coverage is issued only to a person still insured in China: a paid month of each
# employees' scheme the certificate covers within this many months before today (the office's check;
# the agreements themselves say "subject to Chinese legislation" and give no figure).
STILL_CONTRIBUTING_MONTHS = 3


@dataclass(frozen=True)
class Phase:
    """An arrangement in force before the agreement itself, with its own schemes and limits.

    Korea: the 2003 exchange of notes on mutual pension exemption (pension only, no time limit)
    applied from 2003-05-23 until the 2013 agreement.
    """

    start: dt.date
    until: dt.date
    name_zh: str
    name_en: str
    schemes: tuple[str, ...]
    time_limit: bool
    self_employed: bool
    source: str


@dataclass(frozen=True)
class Agreement:
    """One agreement's terms as far as a counter needs them (phases: earlier arrangements)."""

    country: str
    partner_zh: str
    partner_en: str
    name_zh: str
    name_en: str
    in_force: dt.date | None
    schemes: tuple[str, ...]
    partner_schemes: str
    first_posting_months: int | None
    extendable: bool
    max_total_months: int | None
    special_extra_months: int
    max_extensions: int | None
    extension_notice_months: int
    min_prior_employment_months: int
    employees: bool
    self_employed: bool
    self_employed_schemes: tuple[str, ...] | None
    family: bool
    certificate_zh: str
    certificate_partner: str
    signed: dt.date | None
    source: str
    checked: str
    disputed: tuple[str, ...]
    note: str
    phases: tuple[Phase, ...] = ()
    no_time_limit: bool = False  # set on the terms of a phase without a time limit
    phase_until: dt.date | None = None  # the last day of the phase these terms belong to

    def partner(self, lang: str = "zh") -> str:
        """The partner country's name."""
        return self.partner_en if lang == "en" else self.partner_zh

    def in_force_on(self, day: dt.date) -> bool:
        """Whether the agreement, or an arrangement before it, applies on the day."""
        return (self.in_force is not None and self.in_force <= day) or self._phase(day) is not None

    def first_in_force(self) -> dt.date | None:
        """The first day anything of it applied (an earlier phase, or the agreement)."""
        days = [p.start for p in self.phases] + ([self.in_force] if self.in_force else [])
        return min(days) if days else None

    def _phase(self, day: dt.date) -> Phase | None:
        if self.in_force is not None and day >= self.in_force:
            return None
        return next((p for p in self.phases if p.start <= day <= p.until), None)

    def terms_on(self, day: dt.date) -> Agreement:
        """The terms in force on the day: the agreement's, or those of the phase then in force."""
        phase = self._phase(day)
        if phase is None:
            return self
        return replace(self, name_zh=phase.name_zh, name_en=phase.name_en, in_force=phase.start,
                       schemes=phase.schemes, self_employed=phase.self_employed, self_employed_schemes=None,
                       first_posting_months=None, extendable=False, max_total_months=None,
                       no_time_limit=not phase.time_limit, phase_until=phase.until, phases=())

    def periods(self, first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date, Agreement]]:
        """first..last cut where the terms change, each part with its terms (days before anything
        was in force are left out)."""
        cuts = sorted({d for p in self.phases for d in (p.start, p.until + dt.timedelta(days=1))}
                      | ({self.in_force} if self.in_force else set()))
        out: list[tuple[dt.date, dt.date, Agreement]] = []
        start = first
        for cut in [c for c in cuts if first < c <= last] + [last + dt.timedelta(days=1)]:
            end = cut - dt.timedelta(days=1)
            if self.in_force_on(start):
                out.append((start, end, self.terms_on(start)))
            start = cut
        return out

    def schemes_for(self, self_employed: bool) -> tuple[str, ...]:
        """The Chinese schemes a certificate covers for an employee or a self-employed person."""
        if self_employed and self.self_employed_schemes is not None:
            return self.self_employed_schemes
        return self.schemes


EDITABLE = {f.name for f in fields(Agreement)} - {"country", "phases", "no_time_limit", "phase_until"}


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _from_dict(d: dict[str, Any]) -> Agreement:
    return Agreement(
        d["country"], d["partner_zh"], d["partner_en"], d["name_zh"], d["name_en"],
        _date(d.get("in_force")), tuple(d.get("schemes", ())), d.get("partner_schemes", ""),
        d.get("first_posting_months"), bool(d.get("extendable", False)), d.get("max_total_months"),
        int(d.get("special_extra_months", 0)), d.get("max_extensions"),
        int(d.get("extension_notice_months", 0)), int(d.get("min_prior_employment_months", 0)),
        bool(d.get("employees", True)), bool(d.get("self_employed", False)),
        tuple(d["self_employed_schemes"]) if d.get("self_employed_schemes") else None,
        bool(d.get("family", False)), d.get("certificate_zh", "参保证明"), d.get("certificate_partner", ""),
        _date(d.get("signed")), d.get("source", ""), str(d.get("checked", "")),
        tuple(d.get("disputed", ())), d.get("note", ""),
        tuple(Phase(_day(p["from"]), _day(p["until"]), p["name_zh"], p["name_en"], tuple(p["schemes"]),
                    bool(p.get("time_limit", True)), bool(p.get("self_employed", False)), p.get("source", ""))
              for p in d.get("phase", ())),
    )


def _day(value: Any) -> dt.date:
    day = _date(value)
    if day is None:
        raise ValueError("agreements.toml: a phase needs its from and until days")
    return day


@lru_cache(maxsize=1)
def shipped() -> dict[str, Agreement]:
    """The agreements as shipped, by ISO country code."""
    with (resources_dir() / "agreements.toml").open("rb") as fh:
        data = tomllib.load(fh)
    return {a["country"]: _from_dict(a) for a in data["agreement"]}


def with_overrides(base: dict[str, Agreement], overrides: list[tuple[str, str, str]]) -> dict[str, Agreement]:
    """The agreements with the office's corrections (country, field, JSON value) applied in order."""
    out = dict(base)
    for country, name, value_json in overrides:
        if country not in out or name not in EDITABLE:
            continue
        value = json.loads(value_json)
        if name in ("in_force", "signed"):
            value = _date(value)
        elif name in ("schemes", "disputed") or (name == "self_employed_schemes" and value is not None):
            value = tuple(value)
        out[country] = replace(out[country], **{name: value})
    return out


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day so many months later (the last day of the month where it is shorter)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def last_allowed_day(start: dt.date, months: int) -> dt.date:
    """The last day of a posting of so many months that starts on start: the day before the same
    day so many months later, or the last day of that month when it has no such day."""
    later = add_months(start, months)
    if later.day < start.day:
        return later
    return later - dt.timedelta(days=1)


def require_agreement(agreements: dict[str, Agreement], country: str) -> Agreement:
    """The agreement with the country, or a refusal saying there is none."""
    agreement = agreements.get(country)
    if agreement is None:
        raise RefusedByRule("agreement.none", "country", country=country)
    return agreement


def check_posting(a: Agreement, start: dt.date, end: dt.date, self_employed: bool,
                  prior_chain_start: dt.date | None, extensions_so_far: int, special: bool,
                  previous_end: dt.date | None, today: dt.date) -> None:
    """The agreement's own rules for a certificate: in force, who is covered, how long.

    For an extension, prior_chain_start is the start of the first certificate of the posting and
    previous_end the end of the certificate it extends.
    """
    if end < start:
        raise RefusedByRule("exemption.order", "to")
    if not a.in_force_on(start):
        since = a.first_in_force()
        raise RefusedByRule("agreement.not_in_force", "from", partner=a.partner_zh,
                            since=since.isoformat() if since else "未生效")
    a = a.terms_on(start)
    if a.phase_until is not None and end > a.phase_until:
        raise RefusedByRule("agreement.phase_ends", "to", name=a.name_zh, last=a.phase_until.isoformat())
    if self_employed and not a.self_employed:
        raise RefusedByRule("agreement.no_self_employed", "worker", partner=a.partner_zh)
    if not self_employed and not a.employees:
        raise RefusedByRule("agreement.no_employees", "worker", partner=a.partner_zh)
    if a.no_time_limit:
        if prior_chain_start is not None:
            raise RefusedByRule("agreement.no_extension", "from", partner=a.partner_zh)
        return
    if a.first_posting_months is None:
        raise RefusedByRule("agreement.no_period", "country", partner=a.partner_zh)
    if prior_chain_start is None:
        last = last_allowed_day(start, a.first_posting_months)
        if end > last:
            raise RefusedByRule("agreement.too_long", "to", partner=a.partner_zh,
                                months=a.first_posting_months, last=last.isoformat())
        return
    if not a.extendable:
        raise RefusedByRule("agreement.no_extension", "from", partner=a.partner_zh)
    if a.max_extensions is not None and extensions_so_far >= a.max_extensions:
        raise RefusedByRule("agreement.extensions_used", "from", partner=a.partner_zh, count=a.max_extensions)
    if a.max_total_months is None:
        raise RefusedByRule("agreement.no_maximum", "to", partner=a.partner_zh)
    if previous_end is not None and a.extension_notice_months:
        deadline = add_months(previous_end, -a.extension_notice_months)
        if today > deadline:
            raise RefusedByRule("agreement.late_extension", "from", partner=a.partner_zh,
                                months=a.extension_notice_months, deadline=deadline.isoformat())
    total = a.max_total_months + (a.special_extra_months if special else 0)
    last = last_allowed_day(prior_chain_start, total)
    if end > last:
        raise RefusedByRule("agreement.total_too_long", "to", partner=a.partner_zh, months=total,
                            last=last.isoformat())


def overlaps(a_start: dt.date, a_end: dt.date, b_start: dt.date, b_end: dt.date) -> bool:
    """Whether two periods (both days included) share a day."""
    return a_start <= b_end and b_start <= a_end


def in_pinyin_order(agreements: dict[str, Agreement]) -> list[Agreement]:
    """The agreements by their partner's Chinese name in pinyin order (澳大利亚, 奥地利, 比利时, ...),
    not in the order of the characters' codes."""
    from desktop.core.pinyin import sort_key

    return sorted(agreements.values(), key=lambda a: sort_key(a.partner_zh))
