"""The schema this program reads and writes, by its newest migration (a test keeps it equal to the
newest file in desktop/core/migrations/versions). Light on purpose: the window's first searches
check it before SQLAlchemy is loaded."""

SCHEMA_REVISION = "0025"
