"""Storage on a real SQLite file and a real PostgreSQL server: schema, migrations, services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from conftest import EMPLOYER, TODAY
from schema_support import office_at
from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.exc import OperationalError

from desktop.core.errors import Conflict, IntegrityFailure, RefusedByRule
from desktop.core.ledger import Ledger
from desktop.core.store import line_store
from desktop.core.store.engine import (
    SCHEMA_REVISION,
    _alembic_config,
    current_revision,
    give_back_free_pages,
    known_revisions,
    make_engine,
    migrate,
    open_engine,
    sqlite_bytes,
)
from desktop.core.store.models import (
    Base,
    Contribution,
    Day,
    KindCode,
    RegionCode,
    SchemeCode,
    StatusCode,
)
from desktop.core.sync import capture


def test_schema_revision_is_the_newest_migration() -> None:
    assert known_revisions()[-1] == SCHEMA_REVISION


def test_migrations_match_the_models(db_target: str) -> None:
    """Every table as the models say; on SQLite the contribution lines are a view of the
    person-month rows (0023) with the model's columns in its order, the rows' tables not modelled."""
    engine = open_engine(db_target)
    with engine.connect() as conn:
        rows = conn.dialect.name == "sqlite"
        kept = {"contribution", *line_store.ROWS, line_store.SIDE, line_store.CLOSED_WRITES} if rows else set()

        def include(_obj: object, name: str | None, kind: str, _reflected: bool, _other: object) -> bool:
            return not (kind == "table" and name in kept)

        context = MigrationContext.configure(conn, opts={"include_object": include})
        assert compare_metadata(context, Base.metadata) == []
        if rows:
            assert conn.exec_driver_sql("SELECT type FROM sqlite_master WHERE name = 'contribution'").scalar() == "view"
            view = [r[1] for r in conn.exec_driver_sql("PRAGMA table_info(contribution)")]
            assert view == [c.name for c in Contribution.__table__.columns]
    engine.dispose()


def test_ledger_round_trip(any_ledger: Ledger) -> None:
    w = any_ledger.workers.register_citizen("510107198511113215", "张三", "510107", "rural", "13800000000")
    assert any_ledger.workers.get("510107198511113215").name == "张三"
    with pytest.raises(Conflict) as err:
        any_ledger.workers.register_citizen("510107198511113215", "张三丰", "510107", "rural")
    assert err.value.key == "worker.exists" and "张三" in err.value.message("zh")
    f = any_ledger.workers.register_foreigner("DE", "C01X00T47", "Anna Schmidt", "F", "1990-04-01")
    assert f.ssn.startswith("F360100") and any_ledger.workers.get(f.ssn).passport == "C01X00T47"
    m = any_ledger.contributions.record(w.key, EMPLOYER, "2026-10", "8000")
    assert m.base == Decimal("8000.00")
    pension = next(ln for ln in m.lines if ln.scheme == "pension")
    assert (pension.employer, pension.employee, pension.individual_account) == (
        Decimal("1280.00"), Decimal("640.00"), Decimal("640.00"))
    st = any_ledger.accounts.statement(w.key)
    assert st.individual_account_balance == Decimal("640.00")
    assert [s.scheme for s in st.schemes] == ["pension", "medical", "unemployment", "injury"]
    assert [x.name for x in any_ledger.workers.find("zs")] == ["张三"]
    assert [x.name for x in any_ledger.workers.find("5101071985")] == ["张三"]


@pytest.mark.parametrize(("revision", "before", "index"), [
    ("0019", "0018", "ix_contribution_region_month"),
    ("0022", "0021", "ix_contribution_employer_month"),
])
def test_an_index_of_lines_no_query_starts_from_is_dropped_and_made_again_going_back(
        any_ledger: Ledger, revision: str, before: str, index: str) -> None:
    """0019 drops the index of contribution lines by collecting region and month, 0022 the one by
    employer and month (no query starts from them); going back makes each again from the lines.
    The lines and a person's account are the same either way."""
    w = any_ledger.workers.register_citizen("510107198511113215", "张三", "510107", "rural")
    for month in ("2026-08", "2026-09", "2026-10"):
        any_ledger.contributions.record(w.key, EMPLOYER, month, "8000")
    account = any_ledger.accounts.statement(w.key).individual_account_balance
    engine = any_ledger.engine

    def lines_and_indexes() -> tuple[list[tuple[object, ...]], set[str]]:
        with engine.connect() as conn:
            rows = [tuple(r) for r in conn.execute(select(*Contribution.__table__.c).order_by(Contribution.id))]
        return rows, {ix["name"] for ix in inspect(engine).get_indexes("contribution")
                      if ix["name"] and not ix.get("duplicates_constraint")}  # (the unique key's, on PostgreSQL)

    rows, names = lines_and_indexes()
    assert len(rows) == 12 and names == set()
    command.downgrade(_alembic_config(engine), before)
    assert lines_and_indexes() == (rows, {"ix_contribution_employer_month"} | {index})
    command.upgrade(_alembic_config(engine), revision)
    assert lines_and_indexes() == (rows, set() if revision == "0022" else {"ix_contribution_employer_month"})
    command.upgrade(_alembic_config(engine), "head")
    assert lines_and_indexes() == (rows, names)
    assert any_ledger.accounts.statement(w.key).individual_account_balance == account == Decimal("1920.00")


OTHER = "110105198001010016"


def _typed_lines(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(*Contribution.__table__.c).order_by(Contribution.id))]


def _stored_types(engine: Engine) -> set[tuple[str, ...]]:
    with engine.connect() as conn:
        return {tuple(r) for r in conn.execute(text(
            "SELECT typeof(region), typeof(scheme), typeof(kind), typeof(status), typeof(recorded_on) "
            "FROM contribution"))}


def test_lines_keep_their_text_as_numbers_in_sqlite_from_0021_and_as_text_before(ledger: Ledger) -> None:
    """0021 keeps a line's region, scheme, kind, status and day as numbers in SQLite; a database
    made by the code before it (lines of every kind: regular, back payment, lump sum, arrears,
    flexible, exempt; recorded one by one, in a declaration, on two days) moves over and back with
    every line, the account, the audit chain, an issued document's verification and the change
    log's texts as they were."""
    from desktop.core.services.declaration import DeclarationRow

    w = ledger.workers.register_citizen("510107198511113215", "张三", "510107", "rural")
    other = ledger.workers.register_citizen(OTHER, "李四", "110105", "urban")
    ledger.contributions.record(w.key, EMPLOYER, "2026-10", "8000")  # regular
    ledger.contributions.record(w.key, EMPLOYER, "2026-08", "8000")  # back payment
    ledger.contributions.record(w.key, EMPLOYER, "2026-11", "8000", arrears=True)
    issued = ledger.documents.issue("statement", w.key)  # (before 2020's lump sum, whose interest is unset)
    ledger.contributions.back_pay(w.key, EMPLOYER, "2020-01", "2020-03", "5000")  # a lump sum
    ledger.flexible.pay(other.key, "2025-01", "2025-03", "0.60")
    f = ledger.workers.register_foreigner("KR", "M12345678", "KIM MINJUN", "M", "1988-02-03")
    ledger.exemptions.record_inbound(f.ssn, "KR", "KR-77", "2026-01-01", "2026-12-31")
    ledger.contributions.import_rows([DeclarationRow(2, EMPLOYER, f.ssn, "KIM MINJUN", "2026-10", "8000"),
                                      DeclarationRow(3, EMPLOYER, other.key, "李四", "2026-10", "7000")])
    engine = ledger.engine
    lines = _typed_lines(engine)
    kinds = {str(r[11]) for r in lines}
    assert kinds == {"regular", "back_payment", "lump_sum", "flexible"}
    assert {str(r[12]) for r in lines} == {"paid", "arrears", "exempt"}
    assert _stored_types(engine) == {("integer",) * 5}
    account = ledger.accounts.statement(w.key).individual_account_balance
    with ledger.read() as s:
        log_before = capture.every_change(s)

    command.downgrade(_alembic_config(engine), "0020")  # as the code before kept them
    assert _stored_types(engine) == {("text",) * 5}
    assert _typed_lines(engine) == lines
    with engine.connect() as conn:
        raw = {tuple(r) for r in conn.execute(text(
            "SELECT region, scheme, kind, status, recorded_on FROM contribution"))}
    assert ("360100", "pension", "lump_sum", "paid", "2026-11-23") in raw
    command.upgrade(_alembic_config(engine), "head")
    assert _stored_types(engine) == {("integer",) * 5}
    assert _typed_lines(engine) == lines
    assert ledger.accounts.statement(w.key).individual_account_balance == account
    with ledger.read() as s:
        assert capture.every_change(s) == log_before
    assert ledger.audit.verify().valid
    assert ledger.documents.verify(issued.code).valid
    assert {i["name"] for i in inspect(engine).get_indexes("contribution")} == set()


def _pages(engine: Engine) -> tuple[int, int]:
    with engine.connect() as conn:
        return (int(conn.exec_driver_sql("PRAGMA page_count").scalar_one()),
                int(conn.exec_driver_sql("PRAGMA freelist_count").scalar_one()))


def test_an_upgrade_that_makes_the_lines_again_gives_back_the_pages_it_freed(
        ledger: Ledger, db_path: Path, tmp_path: Path) -> None:
    """0021 copies the lines into a new table, saying how far, and drops the old one, whose pages
    are then free pages of the file; opening an older file gives them back (VACUUM), so the upgraded
    file is smaller than before, not larger. A file with few free pages is left as it is."""
    import random

    from desktop.core.demo import citizen_id
    from desktop.core.services.declaration import DeclarationRow

    rng = random.Random(21)
    people = sorted({citizen_id(rng, "360102", dt.date(1970 + i % 30, 1 + i % 12, 1 + i % 28), i % 2 == 0)
                     for i in range(150)})
    for number in people:
        ledger.workers.register_citizen(number, "张三", "360102", "urban")
    rows = [DeclarationRow(i, EMPLOYER, number, "张三", f"2025-{month:02d}", "8000")
            for i, (number, month) in enumerate(((n, m) for m in range(1, 13) for n in people), start=2)]
    assert ledger.contributions.import_rows(rows).recorded == len(people) * 12
    lines = _typed_lines(ledger.engine)
    ledger.close()
    engine = make_engine(f"sqlite:///{db_path}")
    command.downgrade(_alembic_config(engine), "0020")  # the lines as text, the numbers' table's pages free
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    text_pages, _free = _pages(engine)

    stages: list[str] = []
    steps: list[tuple[int, int]] = []
    backup = migrate(engine, stages.append, steps=lambda done, total: steps.append((done, total)) or True)
    assert backup is not None and stages == ["backup", "migrate", "compact"]
    runs: dict[int, list[int]] = {}  # 0021's copy of the lines, then 0023's rows made, each from none to all
    for done, total in steps:
        runs.setdefault(total, []).append(done)
    assert len(runs) == 2 and all(d[0] == 0 and d[-1] == t and d == sorted(d) for t, d in runs.items()), steps
    pages, free = _pages(engine)
    assert free == 0 and pages < text_pages * 0.85  # smaller than the file of text lines it came from
    assert _typed_lines(engine) == lines and _stored_types(engine) == {("integer",) * 5}
    assert not give_back_free_pages(engine)  # nothing free: nothing done
    engine.dispose()


def test_a_line_s_text_is_kept_as_a_number_and_read_back_as_text() -> None:
    """The columns SQLite keeps small: known text as its place in the list, unknown text as text,
    text that SQLite could take for a number refused (it would read back as another value)."""
    scheme, region, day = SchemeCode(), RegionCode(), Day()
    names = ["pension", "injury", "unemployment", "a-later-scheme"]
    stored = scheme.to_stored(names)
    assert stored == [3, 0, 6, "a-later-scheme"] and scheme.from_stored(stored) == names
    assert sorted(SchemeCode.NAMES) == list(SchemeCode.NAMES)  # ordered by scheme either way
    for number_like in ("7", " 12", "1e3", "-4"):
        with pytest.raises(ValueError):
            scheme.to_stored([number_like])
    assert KindCode().to_stored(["regular", "back_payment"]) == [0, 1]
    assert StatusCode().from_stored([0, 1, 2, None]) == ["paid", "arrears", "exempt", None]
    assert region.to_stored(["360100", "110105"]) == [360100, 110105]
    assert region.from_stored([360100, 12345, "x"]) == ["360100", "012345", "x"]
    with pytest.raises(ValueError):
        region.to_stored(["36010"])
    when = [dt.date(2026, 12, 6), dt.date(1998, 1, 1)]
    assert day.to_stored(when) == [739956, dt.date(1998, 1, 1).toordinal()]
    assert day.from_stored([739956, "2026-11-23", None]) == [dt.date(2026, 12, 6), dt.date(2026, 11, 23), None]


def test_a_look_up_holds_no_transaction_and_sessions_keep_theirs(any_ledger: Ledger) -> None:
    """The hot look-ups (workers.get, the statement's lines) run on the thread's own connection, on
    PostgreSQL without a transaction around each (a BEGIN and a ROLLBACK were two more round trips
    to the server): nothing stays open between look-ups, a look-up sees what another connection
    committed at once, and the sessions' connections stay transactional."""
    w = any_ledger.workers.register_citizen("510107198511113215", "张三", "510107", "rural")
    for _ in range(3):
        assert any_ledger.workers.get(w.key).name == "张三"
        any_ledger.accounts.statement(w.key)
    driver = any_ledger._local.driver
    if any_ledger.engine.dialect.name == "postgresql":
        import psycopg

        assert driver.autocommit is True
        assert driver.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    else:
        assert not driver.in_transaction
    with any_ledger.engine.begin() as conn:  # another connection renames the person
        conn.execute(text("UPDATE worker SET name = '张三丰' WHERE id_number = :k"), {"k": w.key})
    assert any_ledger.workers.get(w.key).name == "张三丰"
    with any_ledger.read() as s:  # the sessions' connections are not the look-ups' one
        session_driver = s.connection().connection.driver_connection
        assert session_driver is not driver
        if any_ledger.engine.dialect.name == "postgresql":
            assert session_driver.autocommit is False


def test_a_failed_operation_writes_nothing(any_ledger: Ledger) -> None:
    w = any_ledger.workers.register_citizen("510107198511113215", "张三", "510107", "rural")
    any_ledger.contributions.record(w.key, EMPLOYER, "2026-09", "8000")
    with pytest.raises(Conflict) as err:
        any_ledger.contributions.record(w.key, EMPLOYER, "2026-09", "9000")
    assert (err.value.key, err.value.params["month"]) == ("contrib.exists", "2026-09")
    with any_ledger.read() as s:
        assert s.execute(text("SELECT count(*) FROM contribution")).scalar() == 4
        assert s.execute(text("SELECT sum(base) FROM contribution")).scalar() == 4 * 800000


def test_office_is_required_and_unique(db_target: str) -> None:
    led = Ledger.open(db_target, clock=lambda: TODAY)
    with pytest.raises(RefusedByRule) as err:
        led.employers.register(EMPLOYER, "x")
    assert err.value.key == "office.missing"
    led.office.init("A1", "甲", "360100")
    with pytest.raises(Conflict) as err:
        led.office.init("A2", "乙", "360100")
    assert (err.value.key, err.value.params["code"]) == ("office.exists", "A1")
    led.close()


def test_older_sqlite_database_is_backed_up_then_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    office_at(path, "0001").dispose()
    seen: list[str] = []
    engine = open_engine(path, progress=seen.append)
    assert seen == ["backup", "migrate"]
    assert current_revision(engine) == SCHEMA_REVISION
    backups = list(tmp_path.glob("old.db.before-0001-*.bak"))
    assert len(backups) == 1
    old = make_engine(f"sqlite:///{backups[0]}")
    assert current_revision(old) == "0001"
    with old.connect() as conn:
        assert conn.execute(text("SELECT name FROM office")).scalar() == "旧库"
    old.dispose()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT name FROM office")).scalar() == "旧库"
        # 0002's index gone in 0019, the employer's in 0022; the lines a view of rows since 0023
        for table in (line_store.MONTH, line_store.SIDE):
            names = {r[1] for r in conn.execute(text(f"PRAGMA index_list('{table}')"))}
            assert names == {f"sqlite_autoindex_{table}_1"}
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_a_migration_that_fails_part_way_leaves_the_database_as_it_was(tmp_path: Path) -> None:
    """Every migration of a run is one transaction on SQLite too: a run that fails in its third
    migration (here a table in the way) leaves the schema of the revision it started from, and once
    the cause is gone the next open migrates to the end."""
    engine = office_at(tmp_path / "old.db", "0002")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE inbound_exemption (x INTEGER)"))  # 0005 makes it, after two others

    def schema() -> list[tuple[str, str]]:
        with engine.connect() as conn:
            return [(r[0], r[1]) for r in conn.execute(text(
                "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"))]

    before = schema()
    with pytest.raises(OperationalError, match="inbound_exemption already exists"):
        migrate(engine)
    assert current_revision(engine) == "0002" and schema() == before  # not 0003's index, nor 0004's tables
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE inbound_exemption"))
    migrate(engine)
    assert current_revision(engine) == SCHEMA_REVISION
    with engine.connect() as conn:
        assert conn.execute(text("SELECT name FROM office")).scalar() == "旧库"
    engine.dispose()


def test_newer_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    engine = open_engine(path)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(IntegrityFailure) as err:
        open_engine(path)
    assert (err.value.key, err.value.params) == ("db.newer", {"found": "9999"}) and "upgrade" in err.value.message("en")


def test_money_is_stored_as_whole_fen(any_ledger: Ledger) -> None:
    w = any_ledger.workers.register_citizen("510107198511113215", "张三", "510107", "rural")
    any_ledger.contributions.record(w.key, EMPLOYER, "2026-10", "7777.77")
    with any_ledger.read() as s:
        wage = s.execute(text("SELECT wage FROM contribution LIMIT 1")).scalar()
    assert wage == 777777 and isinstance(wage, int)


def test_clock_is_the_ledgers(any_ledger: Ledger) -> None:
    assert any_ledger.today() == dt.date(2026, 11, 23)


def test_the_size_counts_a_wal_another_process_removes_as_empty(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Another process closing the database deletes its WAL at any moment, also between a look at the
    folder and the size: the WAL that vanished counts as empty, not as an error that ends the command."""
    db = tmp_path / "office.db"
    db.write_bytes(b"x" * 4096)
    wal = Path(f"{db}-wal")
    wal.write_bytes(b"y" * 100)
    assert sqlite_bytes(db) == 4196
    wal.unlink()
    assert sqlite_bytes(db) == 4096
    seen = Path.exists
    monkeypatch.setattr(Path, "exists", lambda self: True if self == wal else seen(self))
    assert sqlite_bytes(db) == 4096  # it was there a moment ago, not any more
    db.unlink()
    assert sqlite_bytes(db) == 0
