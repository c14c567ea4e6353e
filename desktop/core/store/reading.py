"""Reading many rows typed as SQLAlchemy types them, at a fraction of the cost on SQLite: the query
runs through the driver and each column is typed whole with its type's own reader (the audit
trail's bulk proof, a person's pension lines)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Select
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
