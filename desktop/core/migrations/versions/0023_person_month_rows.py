"""contribution lines of a person-month kept as one row in SQLite, behind a view of the lines

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07

A declaration gives a person four or five lines a month (pension, medical, unemployment, injury,
maternity) that share the person, employer, month, collecting region, wage, base, kind, day and
batch, and take consecutive ids. Kept a row a line, each line carried all of that again with its own
row id and its own entry in the unique key's index: 265 bytes a person-month on SQLite. Now:

* `contribution_month`: one row a person, month and employer. Its row id is its first line's id;
  what the lines share is kept once; each of the five schemes has its amounts, status and exemption
  in columns, with the line's distance from the row id (`<scheme>_offset`, 0 to 7; NULL: no line of
  that scheme in the row). A line id N is in the row whose id lies in N - 7 .. N with that offset:
  one index seek, and every line keeps the id the sync log, the audit trail and the exemption links
  know. About 87 bytes a person-month with its unique key (README "A person-month's row without new
  line ids").
* `contribution_side`: a line that does not fit its person-month's row (a residents' scheme, a line
  whose shared values differ from its row's, an arrears line added later, a line more than 7 ids
  from its row), a row a line as before.
* `contribution`: a view that gives the lines back as they were (one `UNION ALL` branch a scheme and
  the side table), so every read by person, month or key reads as before, and INSTEAD OF triggers
  that write a line inserted, changed or deleted through it where it belongs. A line's id is given
  by the program (`line_store`); a line inserted without one takes the next (as the table gave).

The lines are grouped in batches of people, saying how far; a person-month whose lines do not fit a
row stays as lines in the side table. PostgreSQL keeps the lines table: nothing changes there.
Going back makes the table of lines again from the view, with the same ids.
"""

from __future__ import annotations

from alembic import op

from desktop.core.store.engine import migration_steps

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

MONTH, SIDE = "contribution_month", "contribution_side"
# The schemes a row has places for, by their stored number (models.SchemeCode, 0021): injury 0,
# maternity 1, medical 2, pension 3, unemployment 6. The residents' schemes (4, 5) are side lines.
SLOTS = {"pension": 3, "medical": 2, "unemployment": 6, "injury": 0, "maternity": 1}
# A line's own columns, and their names in a scheme's place of a row.
OWN = {"employer_amount": "employer", "employee_amount": "employee", "account_amount": "account",
       "status": "status", "exemption_id": "exemption"}
SHARED = ("region", "wage", "base", "kind", "recorded_on", "batch_id")
LINE = ("id", "worker_id", "employer_id", "region", "month", "scheme", "wage", "base", "employer_amount",
        "employee_amount", "account_amount", "kind", "status", "recorded_on", "batch_id", "exemption_id")
REACH = 7  # the furthest a row's line lies from the row's id
_PEOPLE = 2_000  # people grouped at a time, between reports of how far
_UNIQUE = ("UNIQUE constraint failed: contribution.worker_id, contribution.month, contribution.scheme, "
           "contribution.employer_id")


def _place(scheme: str) -> list[str]:
    return [f"{scheme}_offset"] + [f"{scheme}_{name}" for name in OWN.values()]


def _month_table() -> str:
    places = []
    for scheme in SLOTS:
        places += [f"{scheme}_offset INTEGER", f"{scheme}_employer BIGINT", f"{scheme}_employee BIGINT",
                   f"{scheme}_account BIGINT", f"{scheme}_status INTEGER", f"{scheme}_exemption INTEGER"]
    return f"""CREATE TABLE {MONTH} (
    id INTEGER NOT NULL,
    worker_id INTEGER NOT NULL,
    employer_id INTEGER NOT NULL,
    month INTEGER NOT NULL,
    region INTEGER NOT NULL,
    wage BIGINT NOT NULL,
    base BIGINT NOT NULL,
    kind INTEGER NOT NULL,
    recorded_on INTEGER NOT NULL,
    batch_id INTEGER,
    {", ".join(places)},
    CONSTRAINT pk_{MONTH} PRIMARY KEY (id),
    CONSTRAINT fk_{MONTH}_batch_id_import_batch FOREIGN KEY(batch_id) REFERENCES import_batch (id),
    CONSTRAINT fk_{MONTH}_employer_id_employer FOREIGN KEY(employer_id) REFERENCES employer (id),
    CONSTRAINT fk_{MONTH}_worker_id_worker FOREIGN KEY(worker_id) REFERENCES worker (id),
    CONSTRAINT uq_{MONTH}_worker_id_month_employer_id UNIQUE (worker_id, month, employer_id)
)"""


def _line_table(name: str, named: str) -> str:
    """A table of lines as 0021 made `contribution` (compact columns), without the employer-month
    index 0022 dropped; its constraints named as `named`'s."""
    return f"""CREATE TABLE {name} (
    id INTEGER NOT NULL,
    worker_id INTEGER NOT NULL,
    employer_id INTEGER NOT NULL,
    region INTEGER NOT NULL,
    month INTEGER NOT NULL,
    scheme INTEGER NOT NULL,
    wage BIGINT NOT NULL,
    base BIGINT NOT NULL,
    employer_amount BIGINT NOT NULL,
    employee_amount BIGINT NOT NULL,
    account_amount BIGINT NOT NULL,
    kind INTEGER NOT NULL,
    status INTEGER NOT NULL,
    recorded_on INTEGER NOT NULL,
    batch_id INTEGER,
    exemption_id INTEGER,
    CONSTRAINT pk_{named} PRIMARY KEY (id),
    CONSTRAINT fk_{named}_batch_id_import_batch FOREIGN KEY(batch_id) REFERENCES import_batch (id),
    CONSTRAINT fk_{named}_employer_id_employer FOREIGN KEY(employer_id) REFERENCES employer (id),
    CONSTRAINT fk_{named}_worker_id_worker FOREIGN KEY(worker_id) REFERENCES worker (id),
    CONSTRAINT uq_{named}_worker_id_month_scheme_employer_id UNIQUE (worker_id, month, scheme, employer_id)
)"""


def _view() -> str:
    branches = []
    for scheme, code in SLOTS.items():
        branches.append(f"SELECT id + {scheme}_offset AS id, worker_id, employer_id, region, month, {code} AS scheme, "
                        f"wage, base, {scheme}_employer AS employer_amount, {scheme}_employee AS employee_amount, "
                        f"{scheme}_account AS account_amount, kind, {scheme}_status AS status, recorded_on, "
                        f"batch_id, {scheme}_exemption AS exemption_id FROM {MONTH} WHERE {scheme}_offset IS NOT NULL")
    branches.append(f"SELECT {', '.join(LINE)} FROM {SIDE}")
    return "CREATE VIEW contribution AS " + "\nUNION ALL ".join(branches)


def _offset_of(of: str) -> str:
    """The offset column of OLD's or NEW's scheme in a row (NULL: a scheme a row has no place for)."""
    return f"CASE {of}.scheme " + " ".join(f"WHEN {code} THEN {s}_offset" for s, code in SLOTS.items()) + " END"


def _key(of: str, table: str = MONTH) -> str:
    return (f"{table}.worker_id = {of}.worker_id AND {table}.month = {of}.month "
            f"AND {table}.employer_id = {of}.employer_id")


def _set_place(of: str, values: dict[str, str]) -> str:
    """SET of the place of OLD's or NEW's scheme to these values (by place column), others kept."""
    return ", ".join(f"{s}_{p} = CASE WHEN {of}.scheme = {code} THEN {values[p]} ELSE {s}_{p} END"
                     for s, code in SLOTS.items() for p in ("offset", *OWN.values()) if p in values)


def _lines_in_row() -> str:
    return " + ".join(f"({s}_offset IS NOT NULL)" for s in SLOTS)


# The next line id when a line is inserted without one (the highest line id + 1, as a table of
# lines without AUTOINCREMENT gives it).
NEXT_ID = (f"(SELECT coalesce(max(x), 0) + 1 FROM (SELECT max(id) AS x FROM {SIDE} UNION ALL "
           f"SELECT id + max({', '.join(f'coalesce({s}_offset, 0)' for s in SLOTS)}) FROM {MONTH} "
           f"WHERE id >= (SELECT max(id) FROM {MONTH}) - {REACH}))")


def _line_exists(of: str) -> str:
    return (f"(EXISTS (SELECT 1 FROM {SIDE} WHERE id = {of}.id) OR EXISTS (SELECT 1 FROM {MONTH} "
            f"WHERE id BETWEEN {of}.id - {REACH} AND {of}.id AND {of}.id - id IN "
            f"({', '.join(f'{s}_offset' for s in SLOTS)})))")


def _triggers() -> list[str]:
    slots = ", ".join(str(c) for c in SLOTS.values())
    new_id = f"coalesce(NEW.id, {NEXT_ID})"
    own_new = {place: f"NEW.{name}" for name, place in OWN.items()}
    same = " AND ".join(f"{MONTH}.{n} IS NEW.{n}" for n in SHARED)
    places = [c for s in SLOTS for c in _place(s)]
    first = {"offset": "0", **own_new}
    new_places = ", ".join(f"CASE WHEN NEW.scheme = {code} THEN {first[p]} END"
                           for code in SLOTS.values() for p in ("offset", *OWN.values()))
    taken = (f"SELECT RAISE(ABORT, '{_UNIQUE}') WHERE (EXISTS (SELECT 1 FROM {MONTH} WHERE {_key('NEW')} "
             f"AND {_offset_of('NEW')} IS NOT NULL) OR EXISTS (SELECT 1 FROM {SIDE} WHERE {_key('NEW', SIDE)} "
             f"AND {SIDE}.scheme = NEW.scheme")
    insert = f"""CREATE TRIGGER contribution_insert INSTEAD OF INSERT ON contribution BEGIN
  {taken}));
  SELECT RAISE(ABORT, 'UNIQUE constraint failed: contribution.id') WHERE NEW.id IS NOT NULL AND {_line_exists('NEW')};
  UPDATE {MONTH} SET {_set_place('NEW', {**own_new, 'offset': f'{new_id} - id'})}
    WHERE {_key('NEW')} AND NEW.scheme IN ({slots}) AND {_offset_of('NEW')} IS NULL AND {same}
      AND {new_id} - id BETWEEN 1 AND {REACH};
  INSERT INTO {MONTH} (id, worker_id, employer_id, month, {', '.join(SHARED)}, {', '.join(places)})
    SELECT {new_id}, NEW.worker_id, NEW.employer_id, NEW.month, {', '.join('NEW.' + n for n in SHARED)}, {new_places}
    WHERE NEW.scheme IN ({slots}) AND NOT EXISTS (SELECT 1 FROM {MONTH} WHERE {_key('NEW')});
  INSERT INTO {SIDE} ({', '.join(LINE)}) SELECT {new_id}, {', '.join('NEW.' + n for n in LINE[1:])}
    WHERE NOT EXISTS (SELECT 1 FROM {MONTH} WHERE {_key('NEW')} AND {_offset_of('NEW')} IS NOT NULL);
END"""
    in_row = f"{_key('OLD')} AND {_offset_of('OLD')} = OLD.id - {MONTH}.id"
    unchanged = " AND ".join(f"NEW.{n} IS OLD.{n}" for n in ("id", "worker_id", "employer_id", "month", "scheme"))
    keeps_shared = " AND ".join(f"NEW.{n} IS {MONTH}.{n}" for n in SHARED)
    alone = f"({_lines_in_row()}) = 1"
    cleared = {p: "NULL" for p in ("offset", *OWN.values())}
    update = f"""CREATE TRIGGER contribution_update INSTEAD OF UPDATE ON contribution BEGIN
  {taken} AND {SIDE}.id IS NOT OLD.id))
    AND NOT ({unchanged.replace('NEW.id IS OLD.id AND ', '')});
  SELECT RAISE(ABORT, 'UNIQUE constraint failed: contribution.id') WHERE NEW.id IS NOT OLD.id AND {_line_exists('NEW')};
  UPDATE {MONTH} SET {_set_place('OLD', own_new)} WHERE {in_row} AND {unchanged} AND {keeps_shared};
  UPDATE {MONTH} SET {', '.join(f'{n} = NEW.{n}' for n in SHARED)}, {_set_place('OLD', own_new)}
    WHERE {in_row} AND {unchanged} AND {alone};
  INSERT INTO {SIDE} ({', '.join(LINE)}) SELECT {', '.join('NEW.' + n for n in LINE)}
    WHERE EXISTS (SELECT 1 FROM {MONTH} WHERE {in_row} AND NOT ({unchanged} AND ({keeps_shared} OR {alone})));
  UPDATE {MONTH} SET {_set_place('OLD', cleared)}
    WHERE {in_row} AND NOT ({unchanged} AND ({keeps_shared} OR {alone}));
  DELETE FROM {MONTH} WHERE {_key('OLD')} AND ({_lines_in_row()}) = 0;
  UPDATE {SIDE} SET {', '.join(f'{n} = NEW.{n}' for n in LINE)} WHERE id = OLD.id;
END"""
    delete = f"""CREATE TRIGGER contribution_delete INSTEAD OF DELETE ON contribution BEGIN
  UPDATE {MONTH} SET {_set_place('OLD', cleared)} WHERE {in_row};
  DELETE FROM {MONTH} WHERE {_key('OLD')} AND ({_lines_in_row()}) = 0;
  DELETE FROM {SIDE} WHERE id = OLD.id;
END"""
    return [insert, update, delete]


def _group(first: int, last: int) -> str:
    """The person-month rows of people first..last whose lines fit one (SELECT in the row's column
    order)."""
    cols = []
    for code in SLOTS.values():
        cols.append(f"max(CASE WHEN scheme = {code} THEN id END) - min(id)")
        cols += [f"max(CASE WHEN scheme = {code} THEN {name} END)" for name in OWN]
    fits = " AND ".join(f"count(DISTINCT coalesce({n}, -1)) = 1" for n in SHARED)
    return (f"SELECT min(id), worker_id, employer_id, month, {', '.join(f'min({n})' for n in SHARED)}, "
            f"{', '.join(cols)} FROM contribution WHERE worker_id BETWEEN {first} AND {last} "
            f"GROUP BY worker_id, month, employer_id HAVING {fits} AND max(id) - min(id) <= {REACH} "
            f"AND sum(scheme NOT IN ({', '.join(str(c) for c in SLOTS.values())})) = 0")  # (text: not in)


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    op.execute(_month_table())
    op.execute(_line_table(SIDE, SIDE))
    places = [c for s in SLOTS for c in _place(s)]
    low, high = conn.exec_driver_sql("SELECT coalesce(min(worker_id), 0), coalesce(max(worker_id), -1) "
                                     "FROM contribution").one()
    span = int(high) - int(low) + 1
    steps = migration_steps() if span > 0 else (lambda _done, _total: True)
    steps(0, max(span, 0))
    for first in range(int(low), int(high) + 1, _PEOPLE):
        last = first + _PEOPLE - 1
        conn.exec_driver_sql(f"INSERT INTO {MONTH} (id, worker_id, employer_id, month, {', '.join(SHARED)}, "
                             f"{', '.join(places)}) {_group(first, last)}")
        conn.exec_driver_sql(f"INSERT INTO {SIDE} SELECT {', '.join('c.' + n for n in LINE)} FROM contribution c "
                             f"WHERE c.worker_id BETWEEN {first} AND {last} AND NOT EXISTS (SELECT 1 FROM {MONTH} m "
                             "WHERE m.worker_id = c.worker_id AND m.month = c.month "
                             "AND m.employer_id = c.employer_id)")
        steps(min(last, int(high)) - int(low) + 1, span)
    op.execute("DROP TABLE contribution")  # and its indexes
    op.execute(_view())
    for sql in _triggers():
        op.execute(sql)


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    op.execute(_line_table("contribution_remade", "contribution"))
    conn.exec_driver_sql(f"INSERT INTO contribution_remade ({', '.join(LINE)}) SELECT {', '.join(LINE)} "
                         "FROM contribution ORDER BY id")
    op.execute("DROP VIEW contribution")  # and its triggers
    op.execute(f"DROP TABLE {MONTH}")
    op.execute(f"DROP TABLE {SIDE}")
    op.execute("ALTER TABLE contribution_remade RENAME TO contribution")
