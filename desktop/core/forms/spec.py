"""Loading form files (TOML, one per official form and version) into checked, typed specs.

Every problem is reported when the file is loaded, with the file, the line and the reason; a form
that loads can always be printed. Coordinates are millimetres from the top-left corner of an A4 page.

Values are printed through a format, set with `format` on an element (for each of its placeholders)
or on a table column: "auto" (the default) groups amounts, "money" prints any number as an amount
with thousands separators and two decimals (1,234,567.80), "int" prints a count (0 when blank),
"text" prints the value as it is.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from desktop.core.strict import SHOWN

PAGE_W, PAGE_H = 210.0, 297.0
_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_.]*)\}")
ELEMENT_TYPES = {"text", "field", "table", "line", "box", "seal", "signature", "qr", "code"}
ALIGNS = {"left", "center", "right"}
FORMATS = {"auto", "money", "int", "text"}
_AMOUNT = re.compile(r"-?\d+\.\d\d")
_FEN = Decimal("0.01")
_LONG_WORD = re.compile(rf"\S{{{SHOWN + 1},}}")
MAX_FORM_BYTES = 256 * 1024
"""The largest form file read (the biggest form is a few KiB)."""


class FormFileError(Exception):
    """A form file that cannot be used: names the file, the line and the reason."""

    def __init__(self, path: Path, line: int, reason: str) -> None:
        reason = _LONG_WORD.sub(lambda m: m.group(0)[:SHOWN] + "…", reason)  # a value repeated is cut
        self.path, self.line, self.reason = path, line, reason
        super().__init__(f"{path.name}:{line}: {reason}")


@dataclass(frozen=True)
class Column:
    """A table column: the row key it shows, its titles, width (mm) and alignment."""

    key: str
    title: str
    title_en: str
    width: float
    align: str
    format: str = "auto"


@dataclass(frozen=True)
class Element:
    """One thing drawn on the page; which attributes matter depends on the type."""

    type: str
    x: float = 0.0
    y: float = 0.0
    w: float = 0.0
    h: float = 0.0
    text: str = ""
    text_en: str = ""
    value: str = ""
    size: float = 0.0
    bold: bool = False
    align: str = "left"
    every_page: bool = False
    after_table: bool = False
    source: str = ""
    columns: tuple[Column, ...] = ()
    row_height: float = 6.0
    line: int = 0
    format: str = "auto"


@dataclass(frozen=True)
class FormSpec:
    """A loaded, checked form."""

    id: str
    kind: str
    version: str
    title: str
    title_en: str
    bilingual: bool
    font_size: float
    margin_top: float
    margin_bottom: float
    elements: tuple[Element, ...]
    path: Path
    data_paths: frozenset[str] = field(default_factory=frozenset)

    @property
    def tables(self) -> tuple[Element, ...]:
        """The flowing tables in order: the first at its y, each next one its y below the last."""
        return tuple(e for e in self.elements if e.type == "table")


def _lines_of(text: str) -> tuple[list[int], list[str]]:
    lines = text.splitlines()
    headers = [i + 1 for i, ln in enumerate(lines) if ln.strip().startswith("[[element]]")]
    return headers, lines


def _locate(lines: list[str], headers: list[int], index: int, key: str | None) -> int:
    """The line of element `index` (or of its `key` when given)."""
    if index >= len(headers):
        return 1
    start = headers[index]
    if key is None:
        return start
    end = headers[index + 1] if index + 1 < len(headers) else len(lines) + 1
    for n in range(start, end):
        if re.match(rf"\s*{re.escape(key)}\s*=", lines[n - 1]):
            return n
    return start


def load_form(path: Path, data_paths: dict[str, frozenset[str]]) -> FormSpec:
    """Load and check a form file against the data each kind of document provides."""
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_FORM_BYTES + 1)
        if len(data) > MAX_FORM_BYTES:
            raise FormFileError(path, 1, f"the file is over {MAX_FORM_BYTES // 1024} KiB: not a form")
        raw = data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FormFileError(path, 1, f"cannot read the file: {exc}") from None
    try:
        doc = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise FormFileError(path, int(match.group(1)) if match else 1, f"not valid TOML: {exc}") from None
    except RecursionError:  # arrays or tables nested thousands deep
        raise FormFileError(path, 1, "not valid TOML: nested too deep") from None
    except ValueError as exc:  # an integer of more than 4,300 digits
        raise FormFileError(path, 1, f"not valid TOML: {exc}") from None
    headers, lines = _lines_of(raw)
    form = doc.get("form")
    if not isinstance(form, dict):
        raise FormFileError(path, 1, "missing the [form] table")
    form_line = next((i + 1 for i, ln in enumerate(lines) if ln.strip() == "[form]"), 1)
    for key in ("id", "kind", "version", "title"):
        if not isinstance(form.get(key), str) or not form[key]:
            raise FormFileError(path, form_line, f"[form] needs a text value '{key}'")
    kind = form["kind"]
    if not isinstance(kind, str) or kind not in data_paths:
        raise FormFileError(path, form_line, f"unknown document kind '{kind}' (known: {', '.join(sorted(data_paths))})")
    allowed = data_paths[kind]
    items = doc.get("element", [])
    if not isinstance(items, list) or not items:
        raise FormFileError(path, form_line, "a form needs at least one [[element]]")
    elements = [_element(path, lines, headers, i, item, allowed) for i, item in enumerate(items)]
    tables = [e for e in elements if e.type == "table"]
    if any(e.after_table for e in elements) and not tables:
        first = next(e for e in elements if e.after_table)
        raise FormFileError(path, first.line, "after_table is set but the form has no table")
    return FormSpec(
        form["id"], kind, form["version"], form["title"], str(form.get("title_en", "")),
        bool(form.get("bilingual", False)), _num(path, form_line, form, "font_size", 10.0, 5, 30),
        _num(path, form_line, form, "margin_top", 15.0, 5, 80),
        _num(path, form_line, form, "margin_bottom", 20.0, 5, 80),
        tuple(elements), path, allowed,
    )


def _num(path: Path, line: int, table: dict[str, Any], key: str, default: float, lo: float, hi: float) -> float:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not lo <= value <= hi:
        raise FormFileError(path, line, f"'{key}' must be a number from {lo:g} to {hi:g}")
    return float(value)


def _check_text(path: Path, line: int, text: str, allowed: frozenset[str], where: str) -> None:
    for name in _PLACEHOLDER.findall(text):
        if name not in allowed:
            raise FormFileError(path, line, f"{where} uses {{{name}}}, which this kind of document does not provide")
    if text.count("{") != text.count("}"):
        raise FormFileError(path, line, f"{where} has an unmatched brace")


def _element(path: Path, lines: list[str], headers: list[int], i: int, item: Any,
             allowed: frozenset[str]) -> Element:
    line = _locate(lines, headers, i, None)
    if not isinstance(item, dict):
        raise FormFileError(path, line, "an element must be a table of keys")
    kind = item.get("type")
    if not isinstance(kind, str) or kind not in ELEMENT_TYPES:
        raise FormFileError(path, _locate(lines, headers, i, "type"),
                            f"unknown element type {kind!r} (use one of {', '.join(sorted(ELEMENT_TYPES))})")
    known = {"type", "x", "y", "w", "h", "text", "text_en", "value", "size", "bold", "align",
             "every_page", "after_table", "source", "columns", "row_height", "format"}
    for key in item:
        if key not in known:
            raise FormFileError(path, _locate(lines, headers, i, key), f"unknown key '{key}'")
    nums: dict[str, float] = {}
    for key, lo, hi in (("x", 0, PAGE_W), ("y", 0, PAGE_H), ("w", 0, PAGE_W), ("h", 0, PAGE_H),
                        ("size", 0, 40), ("row_height", 3, 40)):
        if key in item:
            nums[key] = _num(path, _locate(lines, headers, i, key), item, key, 0, lo, hi)
    if nums.get("x", 0) + nums.get("w", 0) > PAGE_W + 0.01:
        raise FormFileError(path, _locate(lines, headers, i, "w"), "the element runs off the right edge of the page")
    align = item.get("align", "left")
    if not isinstance(align, str) or align not in ALIGNS:
        raise FormFileError(path, _locate(lines, headers, i, "align"),
                            f"align must be left, center or right, not {align!r}")
    fmt = item.get("format", "auto")
    if not isinstance(fmt, str) or fmt not in FORMATS:
        raise FormFileError(path, _locate(lines, headers, i, "format"),
                            f"format must be one of {', '.join(sorted(FORMATS))}, not {fmt!r}")
    for key in ("text", "text_en", "value"):
        if key in item:
            if not isinstance(item[key], str):
                raise FormFileError(path, _locate(lines, headers, i, key), f"'{key}' must be text")
            _check_text(path, _locate(lines, headers, i, key), item[key], allowed, f"'{key}'")
    if kind in ("text", "code") and kind == "text" and not item.get("text"):
        raise FormFileError(path, line, "a text element needs 'text'")
    if kind == "field" and "value" not in item:
        raise FormFileError(path, line, "a field element needs 'value'")
    if kind in ("line", "box", "qr", "seal") and not nums.get("w"):
        raise FormFileError(path, line, f"a {kind} element needs a width 'w'")
    columns: tuple[Column, ...] = ()
    source = str(item.get("source", ""))
    if kind == "table":
        if source + "[]" not in allowed:
            raise FormFileError(path, _locate(lines, headers, i, "source"),
                                f"table source {source!r} is not a list this kind of document provides")
        columns = _columns(path, _locate(lines, headers, i, "columns"), item.get("columns"), source, allowed)
        total = sum(c.width for c in columns)
        if nums.get("x", 0) + total > PAGE_W + 0.01:
            raise FormFileError(path, _locate(lines, headers, i, "columns"),
                                f"the columns are {total:g} mm wide and run off the page")
    return Element(
        kind, nums.get("x", 0.0), nums.get("y", 0.0), nums.get("w", 0.0), nums.get("h", 0.0),
        str(item.get("text", "")), str(item.get("text_en", "")), str(item.get("value", "")),
        nums.get("size", 0.0), bool(item.get("bold", False)), align, bool(item.get("every_page", False)),
        bool(item.get("after_table", False)), source, columns, nums.get("row_height", 6.0), line, fmt,
    )


def _columns(path: Path, line: int, raw: Any, source: str, allowed: frozenset[str]) -> tuple[Column, ...]:
    if not isinstance(raw, list) or not raw:
        raise FormFileError(path, line, "a table needs a list of columns")
    out = []
    for col in raw:
        if not isinstance(col, dict) or not isinstance(col.get("key"), str) or not isinstance(col.get("title"), str):
            raise FormFileError(path, line, "each column needs 'key' and 'title'")
        if f"{source}[].{col['key']}" not in allowed:
            raise FormFileError(path, line, f"column key {col['key']!r} is not a field of {source}")
        width = col.get("width")
        if isinstance(width, bool) or not isinstance(width, int | float) or not 0 < width < float("inf"):
            raise FormFileError(path, line, f"column {col['key']!r} needs a positive width")
        align = col.get("align", "left")
        if not isinstance(align, str) or align not in ALIGNS:
            raise FormFileError(path, line, f"column {col['key']!r}: align must be left, center or right")
        fmt = col.get("format", "auto")
        if not isinstance(fmt, str) or fmt not in FORMATS:
            raise FormFileError(path, line,
                                f"column {col['key']!r}: format must be one of {', '.join(sorted(FORMATS))}")
        out.append(Column(col["key"], col["title"], str(col.get("title_en", "")), float(width), align, fmt))
    return tuple(out)


def format_value(value: str | Decimal | int, fmt: str = "auto") -> str:
    """A value as printed in the format (see the module's notes); text that is not a number is
    printed as it is ("—" stays "—"). Exact: Decimal all the way, never a float."""
    if fmt == "text":
        return str(value)
    if isinstance(value, bool):
        value = int(value)
    if fmt == "int":
        if isinstance(value, int):
            return str(value)
        if isinstance(value, Decimal):
            return f"{value.to_integral_value(ROUND_HALF_UP):f}" if value.is_finite() else str(value)
        text = value.strip()
        if not text:
            return "0"
        return str(int(text)) if text.isdigit() or (text[:1] == "-" and text[1:].isdigit()) else value
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, Decimal):
        number = value
    else:
        text = value.strip()
        if fmt == "auto" and not _AMOUNT.fullmatch(text.replace(",", "")):
            return value
        try:
            number = Decimal(text.replace(",", ""))
        except InvalidOperation:
            return value
    if fmt == "auto" and not isinstance(value, str):
        return str(value)
    if not number.is_finite():
        return str(value)
    return f"{number.quantize(_FEN, rounding=ROUND_HALF_UP):,.2f}"


def fill(template: str, values: dict[str, str], fmt: str = "auto") -> str:
    """A template with its {placeholders} replaced, each value printed in the format (every name
    was checked when the form loaded)."""
    return _PLACEHOLDER.sub(lambda m: format_value(values.get(m.group(1), ""), fmt), template)
