"""person-month rows of closed years kept in a table of their own

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07

A county's declaration changes the rows of one month, but every daily backup after it checked the
whole `contribution_month` table with SQLite's quick check (every row of thirty years, about
0.5 microseconds each) and wrote the pages of its unique key that the new month's entries fell
into, scattered through the whole index. Rows of years no declaration comes for any more are now
moved (`line_store.close_months`, by the first daily backup of a new chain or `shebao contrib
close`) into `contribution_closed`, a table of the same shape a month's declaration never
changes: an increment checks and writes only the open years' table.

* `contribution_closed`: the rows of `contribution_month` (0023), the same columns and unique key.
  A person-month and employer has its row in one of the two tables at most.
* the view `contribution` reads both tables' rows and the side lines; its triggers write a line
  changed or deleted where its row is, in either table. A new line of a person-month whose row is
  closed is a side line (a late correction of an old month), as is a line that does not fit its
  row; a new person-month's row is always made in `contribution_month`. The unique key and the
  line ids are checked across the three tables.

PostgreSQL keeps the lines table: nothing changes there. Going back puts the closed rows back into
`contribution_month` and makes 0023's view and triggers again.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def _load_0023() -> ModuleType:
    """Migration 0023, whose table, view and triggers this one extends (and makes again going back)."""
    spec = importlib.util.spec_from_file_location("shebao_migration_0023", Path(__file__).with_name(
        "0023_person_month_rows.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_V23 = _load_0023()
MONTH, SIDE, CLOSED = _V23.MONTH, _V23.SIDE, "contribution_closed"
ROWS = (MONTH, CLOSED)
SLOTS, OWN, SHARED, LINE, REACH = _V23.SLOTS, _V23.OWN, _V23.SHARED, _V23.LINE, _V23.REACH
_key, _offset_of, _set_place, _lines_in_row = _V23._key, _V23._offset_of, _V23._set_place, _V23._lines_in_row
_UNIQUE = _V23._UNIQUE
_ID_TAKEN = "UNIQUE constraint failed: contribution.id"


def _view() -> str:
    branches = [f"SELECT id + {scheme}_offset AS id, worker_id, employer_id, region, month, {code} AS scheme, "
                f"wage, base, {scheme}_employer AS employer_amount, {scheme}_employee AS employee_amount, "
                f"{scheme}_account AS account_amount, kind, {scheme}_status AS status, recorded_on, "
                f"batch_id, {scheme}_exemption AS exemption_id FROM {table} WHERE {scheme}_offset IS NOT NULL"
                for table in ROWS for scheme, code in SLOTS.items()]
    branches.append(f"SELECT {', '.join(LINE)} FROM {SIDE}")
    return "CREATE VIEW contribution AS " + "\nUNION ALL ".join(branches)


# The next line id when a line is inserted without one (the highest line id in any of the three
# tables + 1; a closed row may hold a high id: a late month's row made recently, then closed).
NEXT_ID = (f"(SELECT coalesce(max(x), 0) + 1 FROM (SELECT max(id) AS x FROM {SIDE} " + "".join(
    f"UNION ALL SELECT id + max({', '.join(f'coalesce({s}_offset, 0)' for s in SLOTS)}) FROM {table} "
    f"WHERE id >= (SELECT max(id) FROM {table}) - {REACH} " for table in ROWS) + "))")


def _line_exists(of: str) -> str:
    rows = " OR ".join(f"EXISTS (SELECT 1 FROM {table} WHERE id BETWEEN {of}.id - {REACH} AND {of}.id AND "
                       f"{of}.id - id IN ({', '.join(f'{s}_offset' for s in SLOTS)}))" for table in ROWS)
    return f"(EXISTS (SELECT 1 FROM {SIDE} WHERE id = {of}.id) OR {rows})"


def _taken(side_also: str = "") -> str:
    """RAISE when NEW's key (person, month, employer, scheme) has a line in any table already."""
    rows = " OR ".join(f"EXISTS (SELECT 1 FROM {table} WHERE {_key('NEW', table)} AND {_offset_of('NEW')} IS NOT NULL)"
                       for table in ROWS)
    return (f"SELECT RAISE(ABORT, '{_UNIQUE}') WHERE ({rows} OR EXISTS (SELECT 1 FROM {SIDE} WHERE "
            f"{_key('NEW', SIDE)} AND {SIDE}.scheme = NEW.scheme{side_also}))")


def _triggers() -> list[str]:
    slots = ", ".join(str(c) for c in SLOTS.values())
    new_id = f"coalesce(NEW.id, {NEXT_ID})"
    own_new = {place: f"NEW.{name}" for name, place in OWN.items()}
    same = " AND ".join(f"{MONTH}.{n} IS NEW.{n}" for n in SHARED)
    places = [c for s in SLOTS for c in _V23._place(s)]
    first = {"offset": "0", **own_new}
    new_places = ", ".join(f"CASE WHEN NEW.scheme = {code} THEN {first[p]} END"
                           for code in SLOTS.values() for p in ("offset", *OWN.values()))
    insert = f"""CREATE TRIGGER contribution_insert INSTEAD OF INSERT ON contribution BEGIN
  {_taken()};
  SELECT RAISE(ABORT, '{_ID_TAKEN}') WHERE NEW.id IS NOT NULL AND {_line_exists('NEW')};
  UPDATE {MONTH} SET {_set_place('NEW', {**own_new, 'offset': f'{new_id} - id'})}
    WHERE {_key('NEW')} AND NEW.scheme IN ({slots}) AND {_offset_of('NEW')} IS NULL AND {same}
      AND {new_id} - id BETWEEN 1 AND {REACH};
  INSERT INTO {MONTH} (id, worker_id, employer_id, month, {', '.join(SHARED)}, {', '.join(places)})
    SELECT {new_id}, NEW.worker_id, NEW.employer_id, NEW.month, {', '.join('NEW.' + n for n in SHARED)}, {new_places}
    WHERE NEW.scheme IN ({slots}) AND NOT EXISTS (SELECT 1 FROM {MONTH} WHERE {_key('NEW')})
      AND NOT EXISTS (SELECT 1 FROM {CLOSED} WHERE {_key('NEW', CLOSED)});
  INSERT INTO {SIDE} ({', '.join(LINE)}) SELECT {new_id}, {', '.join('NEW.' + n for n in LINE[1:])}
    WHERE NOT EXISTS (SELECT 1 FROM {MONTH} WHERE {_key('NEW')} AND {_offset_of('NEW')} IS NOT NULL);
END"""
    unchanged = " AND ".join(f"NEW.{n} IS OLD.{n}" for n in ("id", "worker_id", "employer_id", "month", "scheme"))
    alone = f"({_lines_in_row()}) = 1"
    cleared = {p: "NULL" for p in ("offset", *OWN.values())}
    changes, deletes = [], []
    for table in ROWS:
        in_row = f"{_key('OLD', table)} AND {_offset_of('OLD')} = OLD.id - {table}.id"
        keeps_shared = " AND ".join(f"NEW.{n} IS {table}.{n}" for n in SHARED)
        stays = f"{unchanged} AND ({keeps_shared} OR {alone})"
        changes.append(f"""
  UPDATE {table} SET {_set_place('OLD', own_new)} WHERE {in_row} AND {unchanged} AND {keeps_shared};
  UPDATE {table} SET {', '.join(f'{n} = NEW.{n}' for n in SHARED)}, {_set_place('OLD', own_new)}
    WHERE {in_row} AND {unchanged} AND {alone};
  INSERT INTO {SIDE} ({', '.join(LINE)}) SELECT {', '.join('NEW.' + n for n in LINE)}
    WHERE EXISTS (SELECT 1 FROM {table} WHERE {in_row} AND NOT ({stays}));
  UPDATE {table} SET {_set_place('OLD', cleared)} WHERE {in_row} AND NOT ({stays});
  DELETE FROM {table} WHERE {_key('OLD', table)} AND ({_lines_in_row()}) = 0;""")
        deletes.append(f"""
  UPDATE {table} SET {_set_place('OLD', cleared)} WHERE {in_row};
  DELETE FROM {table} WHERE {_key('OLD', table)} AND ({_lines_in_row()}) = 0;""")
    update = f"""CREATE TRIGGER contribution_update INSTEAD OF UPDATE ON contribution BEGIN
  {_taken(f' AND {SIDE}.id IS NOT OLD.id')}
    AND NOT ({unchanged.replace('NEW.id IS OLD.id AND ', '')});
  SELECT RAISE(ABORT, '{_ID_TAKEN}') WHERE NEW.id IS NOT OLD.id AND {_line_exists('NEW')};{''.join(changes)}
  UPDATE {SIDE} SET {', '.join(f'{n} = NEW.{n}' for n in LINE)} WHERE id = OLD.id;
END"""
    delete = f"""CREATE TRIGGER contribution_delete INSTEAD OF DELETE ON contribution BEGIN{''.join(deletes)}
  DELETE FROM {SIDE} WHERE id = OLD.id;
END"""
    return [insert, update, delete]


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(_V23._month_table().replace(MONTH, CLOSED))
    op.execute("DROP VIEW contribution")  # and its triggers
    op.execute(_view())
    for sql in _triggers():
        op.execute(sql)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(f"INSERT INTO {MONTH} SELECT * FROM {CLOSED}")
    op.execute("DROP VIEW contribution")  # and its triggers
    op.execute(f"DROP TABLE {CLOSED}")
    op.execute(_V23._view())
    for sql in _V23._triggers():
        op.execute(sql)
