"""Reading many rows typed as SQLAlchemy types them, at a fraction of the cost on SQLite: the query
runs through the driver and each column is typed whole with its type's own reader (the audit
trail's bulk proof, a person's pension lines); and, in any DB-API parameter style, the driver's
plain rows of a query written with `?` marks (`select_rows`) and many rows inserted with its
executemany (`execute_many`)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, Select
from sqlalchemy.orm import Session


def typed_batches(session: Session, stmt: Select[Any], size: int = 5000) -> Iterator[Sequence[Sequence[Any]]]:
    """The rows of a query of columns as SQLAlchemy gives them, typed, in batches of `size` (one
    driver call each, not one a row) without holding them all. On SQLite the query runs through the
    driver and its rows are typed column by column with the columns' own result processors (what
    SQLAlchemy applies value by value), the same values at a fraction of the cost: a type that reads
    a whole column at once (`from_stored`: money, the columns SQLite keeps small) does so."""
    conn = session.connection()
    dialect = conn.dialect
    if dialect.name != "sqlite":
        yield from conn.execute(stmt, execution_options={"stream_results": True}).partitions(size)
        return
    processors = [column_reader(c.type, dialect) for c in stmt.selected_columns]
    for columns in stored_columns(session, stmt, size):
        typed = [p(col) if p is not None else col for p, col in zip(processors, columns, strict=True)]
        yield list(zip(*typed, strict=True))


def stored_columns(session: Session, stmt: Select[Any], size: int = 5000) -> Iterator[list[tuple[Any, ...]]]:
    """The rows of a query on SQLite in batches of `size`, each batch as its columns of the values
    the driver gives, before SQLAlchemy types any (`typed_batches` types them; the audit trail's
    bulk proof writes some straight from them)."""
    result = session.connection().execute(stmt)  # (its parameters bound as their types bind them)
    cursor = result.cursor  # the driver's rows as they come
    try:
        while batch := cursor.fetchmany(size):
            yield list(zip(*batch, strict=True))
    finally:
        result.close()


def column_reader(kind: Any, dialect: Any) -> Any:
    """A function typing a whole column of a SQLite result as SQLAlchemy types its values one by
    one (None: the values are already what SQLAlchemy gives)."""
    whole = getattr(kind, "from_stored", None)
    if whole is not None:
        return whole
    one = kind.dialect_impl(dialect).result_processor(dialect, None)
    return None if one is None else (lambda column: list(map(one, column)))


def typed_rows(session: Session, stmt: Select[Any]) -> list[Sequence[Any]]:
    """All the rows of a query of columns, in one list (`typed_batches` on SQLite; elsewhere
    SQLAlchemy's own read, without a server-side cursor for what is one person's rows)."""
    if session.connection().dialect.name != "sqlite":
        return list(session.execute(stmt).all())
    return [row for batch in typed_batches(session, stmt) for row in batch]


def driver_marks(conn: Connection, n: int) -> list[str]:
    """The driver's placeholders for n positional parameters, in any DB-API parameter style.

    "named" gets :p0, :p1, ... and its parameters are passed as a dict (see `driver_params`).
    """
    style = conn.dialect.paramstyle
    if style == "qmark":
        return ["?"] * n
    if style in ("format", "pyformat"):
        return ["%s"] * n
    if style == "numeric":
        return [f":{i}" for i in range(1, n + 1)]
    return [f":p{i}" for i in range(n)]


def driver_params(conn: Connection, values: Sequence[Any]) -> Sequence[Any] | dict[str, Any]:
    """Positional values as the driver takes them (a dict for the "named" style)."""
    if conn.dialect.paramstyle == "named":
        return {f"p{i}": v for i, v in enumerate(values)}
    return tuple(values)


def execute_many(conn: Connection, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]],
                 chunk: int = 20000) -> None:
    """INSERT rows (tuples in `columns` order, values as stored) with the driver's executemany, a
    chunk at a time, in any DB-API parameter style."""
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(driver_marks(conn, len(columns)))})"
    named = conn.dialect.paramstyle == "named"
    for i in range(0, len(rows), chunk):
        part = rows[i:i + chunk]
        conn.exec_driver_sql(sql, [driver_params(conn, r) for r in part] if named else list(part))


def select_rows(conn: Connection, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Rows of a query written with `?` marks, as the driver's plain tuples (same transaction)."""
    if conn.dialect.paramstyle in ("format", "pyformat"):
        sql = sql.replace("%", "%%")
    pieces = sql.split("?")
    marks = driver_marks(conn, len(pieces) - 1)
    sql = pieces[0] + "".join(m + p for m, p in zip(marks, pieces[1:], strict=True))
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql, driver_params(conn, params))
        return list(cursor.fetchall())
    finally:
        cursor.close()
