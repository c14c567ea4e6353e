"""The search box's first answers, read straight through sqlite3 before the ledger opens
(desktop/core/quick_search.py): the same people in the same order as the ledger's search for any
text, and no answer at all where the ledger would not answer the same."""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import TODAY
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_security_support import fast_hashing, staffed, staffed_template

from desktop.core.demo import people
from desktop.core.ledger import Ledger
from desktop.core.people import WorkerInfo
from desktop.core.quick_search import QuickSearch
from desktop.core.store.revision import SCHEMA_REVISION

__all__ = ["fast_hashing", "staffed", "staffed_template"]

ROOT = Path(__file__).resolve().parents[1]
LIMIT = 50


@pytest.fixture(scope="module")
def registered(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Ledger, list[WorkerInfo]]]:
    """An office of 300 citizens (many sharing a surname) and a few foreign nationals."""
    path = tmp_path_factory.mktemp("quick") / "office.db"
    ledger = Ledger.open(path, clock=lambda: TODAY)
    ledger.office.init("OFF01", "测试经办机构", "360100")
    made = [ledger.workers.register_citizen(n, name, place, kind)
            for n, name, place, kind in people(random.Random(11), 300, TODAY)]
    for i, (nationality, name) in enumerate([("DE", "Anna Schmidt"), ("KR", "KIM MIN JUN"),
                                             ("US", "Ann O'Neil"), ("JP", "SATO YUKI")]):
        made.append(ledger.workers.register_foreigner(nationality, f"P{i}A73{i}9{i}1", name, "F",
                                                      "1990-05-0" + str(i + 1)))
    yield ledger, made
    ledger.close()


def ledger_answer(ledger: Ledger, text: str, limit: int = LIMIT) -> list[WorkerInfo]:
    """What the window's search box shows once the ledger is open (desktop/ui/search.find_people)."""
    return ledger.workers.search_box(text, limit)


def quick_answer(ledger: Ledger, text: str, limit: int = LIMIT) -> list[WorkerInfo] | None:
    quick = QuickSearch.open(Path(str(ledger.engine.url.database)))
    assert quick is not None
    try:
        return quick.find(text, limit)
    finally:
        quick.close()


def texts(made: list[WorkerInfo]) -> st.SearchStrategy[str]:
    """What a clerk types: beginnings of numbers (with spaces, dashes, a lower-case x), of names and
    of their middles, initials, passports, and anything at all."""
    person = st.sampled_from(made)
    cut = st.integers(1, 18)
    return st.one_of(
        st.builds(lambda p, n: p.key[:n], person, cut),
        st.builds(lambda p, n: "-".join(p.key[:n][i:i + 4] for i in range(0, n, 4)).lower(), person, cut),
        st.builds(lambda p, n: p.name[:n], person, st.integers(1, 3)),
        st.builds(lambda p: p.name[1:], person),
        st.builds(lambda p: " ".join(p.name), person),
        st.builds(lambda p: (p.passport or p.ssn).lower(), person),
        st.text(alphabet="zwlcxh ", min_size=1, max_size=3),
        st.text(max_size=6),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_the_quick_answer_is_the_ledgers(registered: tuple[Ledger, list[WorkerInfo]], data: st.DataObject) -> None:
    ledger, made = registered
    text = data.draw(texts(made))
    limit = data.draw(st.sampled_from([LIMIT, 3]))
    assert quick_answer(ledger, text, limit) == ledger_answer(ledger, text, limit), text


def test_the_quick_answer_finds_by_every_kind_of_text(registered: tuple[Ledger, list[WorkerInfo]]) -> None:
    ledger, made = registered
    someone, foreigner = made[7], made[-1]
    assert quick_answer(ledger, someone.key) == [someone]
    assert someone in (quick_answer(ledger, someone.name) or [])
    assert quick_answer(ledger, "SATO") == [foreigner]
    sy = quick_answer(ledger, "sy")  # SATO YUKI, and the Chinese names whose initials begin so
    assert sy is not None and foreigner in sy and len(sy) > 1 and sy == ledger_answer(ledger, "sy")
    assert quick_answer(ledger, foreigner.ssn[:6].lower()) == ledger_answer(ledger, foreigner.ssn[:6]) != []
    many = quick_answer(ledger, "3")
    assert many is not None and len(many) == LIMIT and [p.key for p in many] == sorted(p.key for p in many)
    assert quick_answer(ledger, "") == [] and quick_answer(ledger, "%_/") == []


def test_no_quick_answer_where_the_ledger_would_answer_otherwise(tmp_path: Path) -> None:
    assert QuickSearch.open(tmp_path / "none.db") is None
    assert QuickSearch.open("postgresql://nobody@127.0.0.1/office") is None
    (tmp_path / "text.db").write_text("not a database", encoding="utf-8")
    assert QuickSearch.open(tmp_path / "text.db") is None
    path = tmp_path / "office.db"
    ledger = Ledger.open(path, clock=lambda: TODAY)
    ledger.office.init("OFF01", "测试经办机构", "360100")
    ledger.workers.register_citizen(people(random.Random(3), 1, TODAY)[0][0], "张三", "360102", "urban")
    quick = QuickSearch.open(path)
    assert quick is not None and quick.find("张", LIMIT) == ledger.workers.find("张")
    quick.close()
    assert quick.find("张", LIMIT) is None  # closed: the box waits for the ledger
    with ledger.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0020'")
    assert QuickSearch.open(path) is None  # an older schema is migrated by the ledger first
    with ledger.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = ?", (SCHEMA_REVISION,))
    quick = QuickSearch.open(path)
    assert quick is not None
    quick.close()
    ledger.close()
    con = sqlite3.connect(str(path))
    con.execute("PRAGMA journal_mode=DELETE")
    con.close()
    assert QuickSearch.open(path) is None  # not in WAL mode: the ledger's first connection changes that


def test_no_quick_answer_in_an_office_with_accounts(staffed: Ledger) -> None:
    path = Path(str(staffed.engine.url.database))
    assert staffed.users.has_accounts() and QuickSearch.open(path) is None  # nobody reads before signing in


def test_the_quick_search_loads_no_sqlalchemy(registered: tuple[Ledger, list[WorkerInfo]]) -> None:
    ledger, made = registered
    code = ("import sys\nfrom desktop.core.quick_search import QuickSearch\n"
            f"found = QuickSearch.open(sys.argv[1]).find({made[0].key!r}, 50)\n"
            "print(len(found), 'sqlalchemy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(ledger.engine.url.database)], capture_output=True,
                         text=True, cwd=ROOT, timeout=60, check=True).stdout.split()
    assert out == ["1", "False"]
