"""Storage: SQLAlchemy models, opening a database, migrations."""
