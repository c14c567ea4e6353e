"""Strict reading of typed-in and imported text: ASCII digits only, values cut in messages.

Python's own parsers are generous: `int()` and `Decimal()` take Arabic-Indic or full-width digits
and `6_500`, `Decimal()` takes `1e999999999999` (which then overflows the context), `str.isdigit()`
is true for `²`. Every number a clerk or a file gives is checked here first: ASCII digits, at most
`MAX_NUMBER` characters. A value repeated in a message is cut to `SHOWN` characters and "…".
"""

from __future__ import annotations

import re

MAX_NUMBER = 40
"""The longest number text read (an amount or rate has far fewer digits)."""

SHOWN = 40
"""How many characters of a bad value a message repeats."""

_DECIMAL_RE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)", re.ASCII)


def is_digits(text: str) -> bool:
    """Whether text is one to MAX_NUMBER ASCII digits 0-9 (`str.isdigit` also takes `٦` and `²`, and
    `int()` refuses more than 4,300 digits with a ValueError)."""
    return len(text) <= MAX_NUMBER and text.isascii() and text.isdigit()


def is_decimal_text(text: str) -> bool:
    """Whether text is a plain decimal number in ASCII digits (sign and point allowed, no exponent,
    no `_`), short enough to read."""
    return len(text) <= MAX_NUMBER and _DECIMAL_RE.fullmatch(text) is not None


def cut(value: object, length: int = SHOWN) -> object:
    """A value for a message: text longer than `length` cut to its first `length` characters and
    "…"; anything else as it is."""
    if isinstance(value, str) and len(value) > length:
        return value[:length] + "…"
    return value
