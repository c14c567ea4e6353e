"""Every field a refusal names has a label in both languages (desktop/core/messages.py FIELDS).

The field of a refusal is shown to the clerk by its label; a field without one would show its
internal name. This reads the source: the field names given as text to the refusals, to a row's
problem, to the parsers that refuse in a field's name, and to `field=` keywords.
"""

from __future__ import annotations

import ast
from pathlib import Path

from desktop.core.messages import FIELDS

ROOT = Path(__file__).resolve().parents[1] / "desktop"
# The calls whose second positional argument is a field name.
FIELD_SECOND = {"InvalidInput", "RefusedByRule", "Conflict", "RowProblem", "parse_date", "parse_amount",
                "parse_rate", "require_worker"}


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _text(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def named_fields() -> dict[str, list[str]]:
    """Each field name given as text, with where it is given."""
    found: dict[str, list[str]] = {}
    for path in sorted(ROOT.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            names: list[str | None] = []
            if _name(node.func) in FIELD_SECOND and len(node.args) >= 2:
                names.append(_text(node.args[1]))
            names += [_text(k.value) for k in node.keywords if k.arg == "field"]
            for name in names:
                if name:  # "" is a problem of a whole row, no field
                    found.setdefault(name, []).append(f"{path.relative_to(ROOT.parent)}:{node.lineno}")
    return found


def test_the_scan_sees_the_refusals() -> None:
    found = named_fields()
    assert {"worker", "month", "channel", "case"} <= found.keys()


def test_every_named_field_has_a_label_in_both_languages() -> None:
    missing = {name: where[:3] for name, where in named_fields().items() if name not in FIELDS}
    assert not missing, f"fields without a label in messages.FIELDS: {missing}"
    for name, (zh, en) in FIELDS.items():
        assert zh.strip() and en.strip(), name


def test_the_fields_given_by_name_lists_have_labels() -> None:
    from desktop.core.services.transfers import LETTER_FIELDS

    assert not [name for name in LETTER_FIELDS if name not in FIELDS]
