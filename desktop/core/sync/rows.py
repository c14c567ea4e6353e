"""Bulk rows: read and write many rows at the driver level, and change data as row tuples.

A sync import of 100,000 contributions, or a declaration of as many lines, spends most of its time
per row. Here a row is a tuple handed straight to the driver's `executemany` (no per-row statement
compilation or type processing), and change data becomes rows column by column: one C-level pass
per column checks the types, parses the dates and looks up the person and employer ids. Data that
does not take the quick path (a field missing in a file from an older version, an unexpected type)
goes row by row through the same checks as a single record, and a value that fails them is a
damaged file, never a half-written row. Bulk rows are counted for the audit trail exactly as a bulk
INSERT through the session is; rows of synced tables go in through `capture.insert_dicts`, which
counts them for change capture too.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy.orm import Session

from desktop.core import audit
from desktop.core.errors import IntegrityFailure
from desktop.core.store import line_store
from desktop.core.store.models import Compact, compact_columns
from desktop.core.store.reading import execute_many
from desktop.core.sync.tables import Keys, MissingReference, TableSpec, checked, decode_data

_scan = json.JSONDecoder().scan_once  # type: ignore[attr-defined]  # the C scanner, one call a value


def insert_many(session: Session, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """INSERT rows (tuples in `columns` order, values as stored) with the driver's executemany.

    The rows are counted for the audit trail like any bulk INSERT: the commit fails unless the
    caller records them (`audit.record_bulk`), except in the tables the trail does not cover.
    """
    if not rows:
        return
    conn = session.connection()
    audit.mark_bulk(session, table)
    if table == line_store.TABLE:
        line_store.insert(conn, columns, rows)
    else:
        execute_many(conn, table, columns, rows)
    audit.count_bulk(session, table, len(rows))


def parse_data(spec: TableSpec, text: Any) -> dict[str, Any]:
    """One change's data text as a dict by field name (anything else is a damaged file)."""
    try:
        value, end = _scan(text, 0)
        if end != len(text):
            raise ValueError("trailing text")
        return decode_data(spec, value)
    except (StopIteration, TypeError, ValueError):
        raise IntegrityFailure("sync.damaged", "file") from None


_TYPES = {"str": str, "int": int, "money": int, "date": str, "datetime": str, "bool": bool,
          "worker": str, "employer": str}


class BulkRows:
    """Change data of one table as row tuples for `insert_many` (references resolved to local ids)."""

    def __init__(self, spec: TableSpec, keys: Keys, dialect: str) -> None:
        self.spec, self.keys = spec, keys
        self.columns = tuple(spec.column(f) for f in spec.fields)
        self._get = itemgetter(*(f.name for f in spec.fields))
        self._types = tuple(_TYPES[f.kind] for f in spec.fields)
        self._refs = tuple((i, f.kind) for i, f in enumerate(spec.fields) if f.kind in ("worker", "employer"))
        # SQLite keeps dates as ISO text (as SQLAlchemy writes them); other databases take date objects.
        # Some columns SQLite keeps small (models.Compact): their values are made as it keeps them.
        compact = compact_columns(spec.name) if dialect == "sqlite" else {}
        self._compact = tuple((i, compact[c], f.kind) for i, (c, f) in enumerate(zip(self.columns, spec.fields,
                                                                                      strict=True)) if c in compact)
        self._dates = tuple((i, f.kind) for i, f in enumerate(spec.fields)
                            if f.kind in ("date", "datetime") and self.columns[i] not in compact)
        self._as_text = dialect == "sqlite"

    def rows(self, datas: Iterable[Mapping[str, Any]]) -> list[tuple[Any, ...]]:
        """Rows for many records' data.

        Column by column: every value of a column is checked and converted in one pass, so the
        cost per row stays a few C calls. Any surprise sends the whole batch row by row.
        """
        records = list(datas)
        try:
            values = list(map(self._get, records))
        except KeyError:
            return [self.row(d) for d in records]
        if not values:
            return []
        columns: list[Any] = list(zip(*values, strict=True))
        if any(set(map(type, col)) != {t} for col, t in zip(columns, self._types, strict=True)):
            return [self.row(d) for d in records]
        for i, kind in self._refs:
            columns[i] = self._ref_column(kind, columns[i])
        for i, kind in self._dates:
            parse = dt.date.fromisoformat if kind == "date" else dt.datetime.fromisoformat
            try:
                parsed = list(map(parse, columns[i]))
            except ValueError:
                raise IntegrityFailure("sync.damaged", "file") from None
            if not self._as_text:
                columns[i] = parsed
            elif kind == "date":
                columns[i] = list(map(dt.date.isoformat, parsed))
            else:
                columns[i] = [date_value(v, True) for v in parsed]
        for i, codec, kind in self._compact:
            columns[i] = _stored(codec, kind, columns[i])
        return list(zip(*columns, strict=True))

    def _ref_column(self, kind: str, column: Sequence[str]) -> list[int]:
        if kind == "worker":
            self.keys.load_workers(set(column))
            ids: Mapping[str, int] = self.keys.worker_id
        else:
            for uscc in set(column):
                self._ref(kind, uscc)
            ids = self.keys.employer_id
        found = list(map(ids.get, column))
        if None in found:
            missing = column[found.index(None)]
            raise MissingReference(kind, missing)
        return found  # type: ignore[return-value]

    def row(self, data: Mapping[str, Any]) -> tuple[Any, ...]:
        """One record's data as a row: checked, with local ids for the person and the employer."""
        try:
            values = self._get(data)
        except KeyError:
            return self._converted(data)
        if tuple(map(type, values)) != self._types:
            return self._converted(data)
        out = list(values)
        for i, kind in self._refs:
            out[i] = self._ref(kind, out[i])
        for i, kind in self._dates:
            try:
                parsed = dt.date.fromisoformat(out[i]) if kind == "date" else dt.datetime.fromisoformat(out[i])
            except ValueError:
                raise IntegrityFailure("sync.damaged", "file") from None
            out[i] = date_value(parsed, self._as_text)
        for i, codec, kind in self._compact:
            out[i] = _stored(codec, kind, [out[i]])[0]
        return tuple(out)

    def _ref(self, kind: str, key: str) -> int:
        found = self.keys.worker(key) if kind == "worker" else self.keys.employer(key)
        if found is None:
            raise MissingReference(kind, key)
        return found

    def _converted(self, data: Mapping[str, Any]) -> tuple[Any, ...]:
        """The slow path: each field checked and converted on its own, a missing one taking its default."""
        out: list[Any] = []
        for f in self.spec.fields:
            try:
                value = checked(self.spec, f, data.get(f.name, f.default))
            except ValueError:
                raise IntegrityFailure("sync.damaged", "file") from None
            if f.kind in ("worker", "employer"):
                out.append(self._ref(f.kind, str(value)))
            elif value is not None and f.kind in ("date", "datetime"):
                parsed = dt.date.fromisoformat(value) if f.kind == "date" else dt.datetime.fromisoformat(value)
                out.append(date_value(parsed, self._as_text))
            else:
                out.append(value)  # text, whole numbers and money in fen, true/false: stored as they are
        for i, codec, kind in self._compact:
            if out[i] is not None:
                out[i] = _stored(codec, kind, [out[i]])[0]
        return tuple(out)


def _stored(codec: Compact, kind: str, values: Sequence[Any]) -> list[Any]:
    """A column's values from change data (dates as ISO text) as SQLite keeps them in a compact column."""
    try:
        if kind == "date":
            values = [v if isinstance(v, dt.date) else dt.date.fromisoformat(v) for v in values]
        return codec.to_stored(values)
    except (TypeError, ValueError):
        raise IntegrityFailure("sync.damaged", "file") from None


def date_value(value: dt.date, as_text: bool) -> Any:
    """A date or time as the database keeps it (SQLite: the text SQLAlchemy writes)."""
    if not as_text:
        return value
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    return value.isoformat()
