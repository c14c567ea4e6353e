"""A demo office: a Nanchang (Jiangxi) office with employers, people and contributions.

Every value is made up; the office's average wages are illustrative, not published figures.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from stdnum.cn import ric

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


def build_demo(ledger: Ledger, people_count: int = 200, months: int = 36, people: int | None = None) -> dict[str, Any]:
    """Fill an empty database with a demo office; returns what was made."""
    count = people if people is not None else people_count
    rng = random.Random(20260101)
    today = ledger.today()
    ledger.office.init("DEMO0791", "南昌市社会保险事业管理局（演示）", REGION)
    current = Month.of(today)
    first = current.add(-months)
    for year in range(first.year, current.year + 1):
        ledger.reference.set_wage("360000", year, Decimal(5200 + (year - 2015) * 420))
    employers = [
        ("南昌赣江机械制造有限公司", 4), ("江西洪城物流有限公司", 3), ("南昌青山湖餐饮管理有限公司", 2),
        ("江西红谷建筑工程有限公司", 6), ("南昌八一软件科技有限公司", 1),
    ]
    codes = []
    for i, (name, risk) in enumerate(employers, start=1):
        code = demo_uscc(i)
        ledger.employers.register(code, name, REGION, risk)
        codes.append(code)
    persons = globals()["people"](rng, count, today)
    for number, name, place, kind in persons:
        ledger.workers.register_citizen(number, name, place, kind, f"13{rng.randrange(100000000, 999999999)}")
    rows: list[DeclarationRow] = []
    line = 1
    for number, name, _place, _kind in persons:
        code = rng.choice(codes)
        wage = Decimal(rng.randrange(2600, 16000))
        born = dt.date.fromisoformat(f"{number[6:10]}-{number[10:12]}-{number[12:14]}")
        start = max(first.add(rng.randrange(0, months // 2)), Month(born.year + 16, born.month).add(1))
        m = start
        while m < current:
            line += 1
            rows.append(DeclarationRow(line, code, number, name, str(m), f"{wage:.2f}"))
            m = m.add(1)
            if m.month == 1:
                wage = (wage * Decimal("1.04")).quantize(Decimal(1))
    result = ledger.contributions.import_rows(rows, "demo", "")
    return {"office": ledger.office.get().code, "people": count, "employers": len(codes),
            "months_recorded": result.recorded, "lines": result.lines}
