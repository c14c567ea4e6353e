"""The typed error tree every service raises; the UI shows it, the CLI maps it to exit codes."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from desktop.core.messages import field_label, render


@dataclass
class RowProblem:
    """One bad row of an imported file: its line, the field and the reason."""

    line: int
    field: str
    key: str
    params: dict[str, Any] = dc_field(default_factory=dict)

    def message(self, lang: str = "zh") -> str:
        """The reason in the given language."""
        return render(self.key, lang, **self.params)


class ShebaoError(Exception):
    """Base of every error a service reports to a clerk."""

    exit_code = 1
    code = "error"

    def __init__(self, key: str, field: str | None = None, **params: Any) -> None:
        self.key = key
        self.field = field
        self.params = params
        super().__init__(self.message("en"))

    def message(self, lang: str = "zh") -> str:
        """The full message in the given language, naming the field when there is one."""
        text = render(self.key, lang, **self.params)
        if self.field:
            sep = "：" if lang == "zh" else ": "
            return f"{field_label(self.field, lang)}{sep}{text}"
        return text

    def to_json(self, lang: str = "zh") -> dict[str, Any]:
        """The error as the CLI's JSON object; key names the rule or check (stable, for programs)."""
        return {"code": self.code, "field": self.field, "key": self.key, "message": self.message(lang)}


class InvalidInput(ShebaoError):
    """Input that is malformed or out of range; nothing was written."""

    exit_code = 2
    code = "invalid_input"


class InvalidRows(InvalidInput):
    """An imported file with one or more bad rows; nothing was written."""

    def __init__(self, rows: list[RowProblem]) -> None:
        self.rows = rows
        super().__init__("import.bad_rows", None, count=len(rows))

    def to_json(self, lang: str = "zh") -> dict[str, Any]:
        """The error with every bad row listed."""
        data = super().to_json(lang)
        data["rows"] = [
            {"line": r.line, "field": r.field, "message": r.message(lang)} for r in self.rows
        ]
        return data


class RefusedByRule(ShebaoError):
    """Well-formed input that a rule forbids; the message states the rule."""

    exit_code = 3
    code = "refused"


class Conflict(ShebaoError):
    """The request collides with what is stored (a duplicate, a changed record)."""

    exit_code = 4
    code = "conflict"


class IntegrityFailure(ShebaoError):
    """Stored or received data failed a consistency or authenticity check."""

    exit_code = 4
    code = "integrity"


class NotAllowed(ShebaoError):
    """Not signed in, or the account's role does not allow the action."""

    exit_code = 5
    code = "not_allowed"


class DatabaseDamaged(IntegrityFailure):
    """The database file is damaged: nothing is written until it is restored from a backup; what
    SQLite can still read is read."""

    code = "damaged"

    def __init__(self, problem: str) -> None:
        super().__init__("db.damaged", None, problem=problem)
