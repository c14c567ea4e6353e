"""A demo office: a Nanchang (Jiangxi) office with employers, people and three years of contributions.

Everything goes through the services at the moment it would happen at a real office: the ledger's
clock is moved through the months, so each month's declaration is imported when it is due (in the
following month) and comes out as on time, the way the services decide it (`calc.is_back_payment`).
A few months are not: one person's months declared half a year late (补缴), one person's arrears paid
late, and two people's recent arrears still open. Last month a certificate of coverage was issued
for an engineer posted to Germany; today a transfer case opens for a person arriving from Shenzhen,
and the office gets its two accounts (an administrator and a clerk), so the window asks to sign in.

Every value is made up; the office's average wages are illustrative, not published figures. The
same clock gives the same office: the choices are seeded.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from stdnum.cn import ric

from desktop.core.clock import Clock
from desktop.core.ids import uscc_check_char
from desktop.core.month import Month
from desktop.core.services.declaration import DeclarationRow

if TYPE_CHECKING:
    from desktop.core.ledger import Ledger

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
            "蒋蔡余杜叶程魏苏吕丁任沈姚卢傅钟姜崔谭廖范汪陆金石戴贾韦夏邱方侯邹熊孟秦"
            "白江阎薛尹段雷黎史龙陶贺顾毛郝龚邵万钱严覃武")
GIVEN = ("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国红梅志强春燕海燕"
         "小红文斌丹玉兰晓东建华金凤慧玲宇航子涵欣怡浩然梓轩雨桐思远嘉怡俊杰")
HUKOU = ["360102", "360103", "360121", "360124", "361021", "362430", "360681", "360781",
         "430521", "511321", "412722", "340822"]
REGION = "360100"


def citizen_id(rng: random.Random, place: str, born: dt.date, female: bool) -> str:
    """A well-formed identity number for made-up people."""
    seq = rng.randrange(0, 500) * 2 + (0 if female else 1)
    body = f"{place}{born:%Y%m%d}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")


def demo_uscc(n: int) -> str:
    """A well-formed credit code for made-up employers."""
    body = f"9136010{n:02d}" + f"{700000000 + n * 7919:09d}"[:9]
    body = body[:17]
    return body + uscc_check_char(body)


def people(rng: random.Random, count: int, today: dt.date) -> list[tuple[str, str, str, str]]:
    """(id_number, name, hukou_region, hukou_type) for count made-up people, all different."""
    out: list[tuple[str, str, str, str]] = []
    seen: set[str] = set()
    while len(out) < count:
        female = rng.random() < 0.45
        born = dt.date(rng.randrange(1966, 2004), rng.randrange(1, 13), rng.randrange(1, 29))
        place = rng.choice(HUKOU)
        number = citizen_id(rng, place, born, female)
        if number in seen or born > today:
            continue
        seen.add(number)
        given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        out.append((number, rng.choice(SURNAMES) + given, place,
                    "urban" if place.startswith("3601") else "rural"))
    return out


EMPLOYERS = (
    ("南昌赣江机械制造有限公司", 4), ("江西洪城物流有限公司", 3), ("南昌青山湖餐饮管理有限公司", 2),
    ("江西红谷建筑工程有限公司", 6), ("南昌八一软件科技有限公司", 1),
)
# The office's two accounts (name, role, password): printed in build_demo's result and in the
# README, so whoever opens the demo window can sign in. Demo passwords, known to everyone.
ACCOUNTS = (("admin", "admin", "Nanchang@0791"), ("clerk", "clerk", "Counter@0791"))
ARRIVAL_FROM = "440300"  # 深圳市: where the person of the open transfer case was insured before
POSTED_TO = "DE"
HOST_EMPLOYER = "Ganjiang Maschinenbau Europa GmbH, Stuttgart"
LETTER = {"bank_account_name": "南昌市社会保险事业管理局（演示）", "bank": "中国工商银行南昌分行营业部（演示）",
          "bank_account": "1502000000000000000", "address": "江西省南昌市红谷滩区演示路1号",
          "phone": "0791-86000000"}
SPECIAL_FROM_MONTHS = 12  # the late months, arrears and the certificate need this much history


@dataclass(eq=False)
class _Person:
    """A made-up person and the months their employer declares."""

    number: str
    name: str
    place: str
    kind: str
    employer: str
    start: Month
    wages: dict[Month, str] = field(default_factory=dict)  # month -> declared wage


class _Timeline:
    """Moves the ledger's clock through the demo's past; `give_back` restores the ledger's own clock."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.own = ledger.clock
        # nothing in the past is later than yesterday afternoon (today may be the 1st)
        self.latest = dt.datetime.combine(ledger.today() - dt.timedelta(days=1), dt.time(16, 0))

    def at(self, moment: dt.datetime) -> None:
        """Set the ledger's clock to moment (yesterday afternoon at the latest)."""
        self.ledger.clock = Clock(at=min(moment, self.latest))

    @staticmethod
    def due(month: Month) -> dt.datetime:
        """When a month's declarations are imported: the 10th of the following month, in time (a month
        is a back payment only once the month after it has passed, `calc.is_back_payment`)."""
        return dt.datetime.combine(month.add(1).first_day() + dt.timedelta(days=9), dt.time(9, 0))

    def give_back(self) -> None:
        """The ledger's own clock again ("today")."""
        self.ledger.clock = self.own


@dataclass
class _Made:
    """What build_demo made, counted as it goes."""

    office: str = ""
    employers: int = 0
    months: int = 0
    lines: int = 0
    declarations: int = 0
    back_payment_months: int = 0
    back_payment_lines: int = 0
    arrears_months: int = 0
    arrears_lines: int = 0
    certificate: str | None = None
    transfer_case: str | None = None

    def as_dict(self, people: int) -> dict[str, Any]:
        """build_demo's result."""
        return {"office": self.office, "people": people, "employers": self.employers,
                "months_recorded": self.months, "lines": self.lines, "declarations": self.declarations,
                "on_time_months": self.months - self.back_payment_months - self.arrears_months,
                "back_payment_months": self.back_payment_months, "back_payment_lines": self.back_payment_lines,
                "arrears_months": self.arrears_months, "arrears_lines": self.arrears_lines,
                "certificates": int(self.certificate is not None), "certificate": self.certificate,
                "transfer_cases": int(self.transfer_case is not None), "transfer_case": self.transfer_case,
                "accounts": [{"name": name, "role": role, "password": password}
                             for name, role, password in ACCOUNTS]}


@dataclass
class _Exceptions:
    """The months not paid on time, and who is posted abroad; empty for a short history."""

    late: list[tuple[_Person, Month]] = field(default_factory=list)  # declared half a year late
    late_in: Month | None = None
    unpaid: list[tuple[_Person, Month]] = field(default_factory=list)  # declared, not paid
    paid_late: list[tuple[_Person, Month]] = field(default_factory=list)  # of unpaid: paid months later
    paid_in: Month | None = None
    posted: _Person | None = None

    @classmethod
    def choose(cls, rng: random.Random, persons: list[_Person], first: Month, current: Month,
               months: int) -> _Exceptions:
        """Four people of the first months, and an engineer of the machinery company to post abroad."""
        early = [p for p in persons if p.start <= first.add(2)]
        if months < SPECIAL_FROM_MONTHS or len(early) < 5:
            return cls()
        late, owing, behind, last = rng.sample(early, 4)
        start, middle = first.add(months // 4), first.add(months // 2)
        settled = [p for p in persons if p.start <= current.add(-6) and p not in (late, owing, behind, last)]
        paid_late = [(owing, middle), (owing, middle.add(1))]
        return cls(late=[(late, start.add(i)) for i in range(3)], late_in=start.add(6),
                   unpaid=[*paid_late, *((behind, current.add(i)) for i in (-3, -2, -1)), (last, current.add(-1))],
                   paid_late=paid_late, paid_in=middle.add(5),
                   posted=next((p for p in settled if p.employer == demo_uscc(1)), settled[0] if settled else None))

    def apart(self, person: _Person, month: Month) -> bool:
        """Whether the month is left out of the month's declaration import (recorded on its own)."""
        return (person, month) in self.late or (person, month) in self.unpaid


def build_demo(ledger: Ledger, people_count: int = 200, months: int = 36, people: int | None = None) -> dict[str, Any]:
    """Fill an empty database with a demo office; returns what was made (and the accounts' passwords).

    `people` made-up people (one of them the person arriving from Shenzhen), `months` months of
    contributions up to last month. The ledger ends signed out, with the office's accounts in place.
    """
    count = people if people is not None else people_count
    timeline = _Timeline(ledger)
    try:
        made = _build(ledger, timeline, random.Random(20260101), count, months)
    finally:
        timeline.give_back()
    return made.as_dict(count)


def _build(ledger: Ledger, timeline: _Timeline, rng: random.Random, count: int, months: int) -> _Made:
    """The office's years, month by month, then today's work; see the module's docstring."""
    today = ledger.today()
    current = Month.of(today)
    first = current.add(-months)
    made = _Made()
    timeline.at(dt.datetime.combine(first.first_day(), dt.time(8, 30)))
    made.office = ledger.office.init("DEMO0791", "南昌市社会保险事业管理局（演示）", REGION).code
    for year in range(first.year, current.year + 1):
        ledger.reference.set_wage("360000", year, Decimal(5200 + (year - 2015) * 420))
    # The office's contact details (made up), printed in every document's heading and on its letters.
    ledger.office.set_contact(address="江西省南昌市红谷滩区示例路1号（演示）", phone="0791-80000000",
                              postcode="330038", bank="示例银行南昌分行（演示）", bank_account="6200000000000000791")
    # A year whose crediting rate is not shipped yet (announced in the middle of the next year) is
    # entered by the office before statements can be issued; the demo enters the last rate shipped.
    from desktop.core.refdata import shipped_interest

    known = [y for y in range(first.year - 40, current.year) if shipped_interest(y) is not None]
    for year in range(max(known, default=first.year) + 1, current.year):
        rate = shipped_interest(max(known)) if known else None
        if rate is not None:
            ledger.reference.set_interest(year, rate)
    codes = []
    for i, (name, risk) in enumerate(EMPLOYERS, start=1):
        codes.append(ledger.employers.register(demo_uscc(i), name, REGION, risk).uscc)
    made.employers = len(codes)
    persons = _plan(rng, count - 1 if count > 1 else count, months, first, current, today, codes)
    special = _Exceptions.choose(rng, persons, first, current, months)
    registered: set[str] = set()
    calendar = first
    while calendar <= current:
        if calendar < current:  # the month's newcomers registered on its 2nd
            moment = dt.datetime.combine(calendar.first_day() + dt.timedelta(days=1), dt.time(9, 0))
            for j, person in enumerate(p for p in persons if p.start == calendar):
                timeline.at(moment + dt.timedelta(minutes=3 * j))
                _register(ledger, rng, person)
                registered.add(person.number)
        if calendar > first:
            _month(ledger, timeline, persons, special, calendar, made)
        calendar = calendar.add(1)
    timeline.give_back()  # today
    for person in persons:
        if person.number not in registered:
            _register(ledger, rng, person)
    if count > 1:
        made.transfer_case = _arrival(ledger, rng, {p.number for p in persons})
    name, _role, password = ACCOUNTS[0]
    ledger.users.create_first_admin(name, password)
    ledger.sign_in(name, password)
    for name, role, password in ACCOUNTS[1:]:
        ledger.users.add(name, role, password, must_change=False)
    ledger.sign_out()
    return made


def _month(ledger: Ledger, timeline: _Timeline, persons: list[_Person], special: _Exceptions,
           calendar: Month, made: _Made) -> None:
    """What happens in a calendar month: last month's declarations imported in time, and the
    exceptions falling in it."""
    month = calendar.add(-1)
    due = timeline.due(month)
    rows = [DeclarationRow(line, p.employer, p.number, p.name, str(month), p.wages[month])
            for line, p in enumerate((p for p in persons if month in p.wages and not special.apart(p, month)),
                                     start=2)]
    if rows:
        timeline.at(due)
        result = ledger.contributions.import_rows(rows, f"{month}申报.csv", "")
        made.declarations += 1
        made.months += result.recorded
        made.lines += result.lines
    for j, (person, _m) in enumerate(x for x in special.unpaid if x[1] == month):
        timeline.at(due + dt.timedelta(hours=1, minutes=j))  # declared in time, not paid
        lines = _record(ledger, person, month, arrears=True)
        made.months += 1
        made.lines += lines
        made.arrears_months += 1
        made.arrears_lines += lines
    if calendar == special.late_in:
        for j, (person, late) in enumerate(special.late):  # a new hire the employer forgot to declare
            timeline.at(due + dt.timedelta(hours=2, minutes=j))
            lines = _record(ledger, person, late)
            made.months += 1
            made.lines += lines
            made.back_payment_months += 1
            made.back_payment_lines += lines
    if calendar == special.paid_in:
        for j, (person, owed) in enumerate(special.paid_late):  # paid at last: now back payments
            timeline.at(due + dt.timedelta(hours=2, minutes=30 + j))
            lines = _record(ledger, person, owed)
            made.arrears_months -= 1
            made.arrears_lines -= lines
            made.back_payment_months += 1
            made.back_payment_lines += lines
    posted = special.posted
    if posted is not None and calendar.add(1) == Month.of(timeline.own.today()):
        timeline.at(due + dt.timedelta(hours=3))  # last month, for a posting from this month's 1st
        start = calendar.add(1)
        made.certificate = ledger.exemptions.issue(
            posted.number, POSTED_TO, posted.employer, HOST_EMPLOYER, start.first_day(),
            start.add(24).first_day() - dt.timedelta(days=1),
            passport="EA" + posted.number[-7:].replace("X", "0")).number  # a made-up passport number


def _record(ledger: Ledger, person: _Person, month: Month, arrears: bool = False) -> int:
    """One month recorded at the counter (or its arrears paid); how many lines it has."""
    return len(ledger.contributions.record(person.number, person.employer, str(month), person.wages[month],
                                           arrears=arrears).lines)


def _plan(rng: random.Random, count: int, months: int, first: Month, current: Month, today: dt.date,
          codes: list[str]) -> list[_Person]:
    """The made-up people, each with an employer, a first month and a wage for every month up to last month."""
    out = []
    for number, name, place, kind in people(rng, count, today):
        code = rng.choice(codes)
        wage = Decimal(rng.randrange(2600, 16000))
        born = dt.date.fromisoformat(f"{number[6:10]}-{number[10:12]}-{number[12:14]}")
        start = max(first.add(rng.randrange(0, months // 2 + 1)), Month(born.year + 16, born.month).add(1))
        person = _Person(number, name, place, kind, code, start)
        m = start
        while m < current:
            person.wages[m] = f"{wage:.2f}"
            m = m.add(1)
            if m.month == 1:
                wage = (wage * Decimal("1.04")).quantize(Decimal(1))
        out.append(person)
    return out


def _register(ledger: Ledger, rng: random.Random, person: _Person) -> None:
    ledger.workers.register_citizen(person.number, person.name, person.place, person.kind,
                                    f"13{rng.randrange(100000000, 999999999)}")


def _arrival(ledger: Ledger, rng: random.Random, taken: set[str]) -> str:
    """A Nanchang man back from eight years in Shenzhen: registered today, and the transfer of his
    pension from Shenzhen requested (the contact letter goes by post: the case waits for Shenzhen)."""
    born = dt.date(1993, 5, 17)
    number = citizen_id(rng, "360102", born, False)
    while number in taken:
        number = citizen_id(rng, "360102", born, False)
    ledger.workers.register_citizen(number, "邹志远", "360102", "urban", f"13{rng.randrange(100000000, 999999999)}")
    return ledger.transfers.request(number, ARRIVAL_FROM, LETTER, channel="paper").case.number
