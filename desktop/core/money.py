"""Money as Decimal yuan, exact to the fen; rates as Decimal fractions."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from desktop.core.errors import InvalidInput
from desktop.core.strict import is_decimal_text

FEN = Decimal("0.01")
ZERO = Decimal("0.00")
MAX_AMOUNT = Decimal("1e13")  # far beyond any wage or fund balance; keeps quantize exact


def yuan_of(fen: int) -> Decimal:
    """An amount kept in whole fen, as Decimal yuan (exact)."""
    return Decimal(fen).scaleb(-2)


def fen_of(amount: Decimal) -> int:
    """A yuan amount with at most two decimals as whole fen (exact; more decimals is an error)."""
    return int(amount.scaleb(2).to_integral_exact())


def fen_text(fen: int) -> str:
    """An amount kept in whole fen as yuan text with two decimals, no grouping."""
    return f"{yuan_of(fen):.2f}"


def to_fen(value: Decimal) -> Decimal:
    """Round to the fen, half up (the rounding used on contribution bills)."""
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def parse_amount(text: object, field: str = "amount") -> Decimal:
    """Parse a yuan amount given as text or number; more than two decimals is refused, not rounded."""
    raw = str(text).strip().replace(",", "").replace("，", "")
    if raw.startswith(("¥", "￥")):
        raw = raw[1:].strip()
    if not raw:
        raise InvalidInput("required", field)
    if not is_decimal_text(raw):  # ASCII digits only: no 1e999999, ٦٥٠٠ or 6_500
        raise InvalidInput("amount.format", field, value=raw)
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise InvalidInput("amount.format", field, value=raw) from None
    if not value.is_finite() or abs(value) >= MAX_AMOUNT:
        raise InvalidInput("amount.format", field, value=raw)
    if value != value.quantize(FEN, rounding=ROUND_HALF_UP):
        raise InvalidInput("amount.fen", field, value=raw)
    return value.quantize(FEN)


def parse_rate(text: object, field: str = "rate") -> Decimal:
    """Parse a rate given as a fraction between 0 and 1 (0.16 for 16%)."""
    raw = str(text).strip()
    if not is_decimal_text(raw):
        raise InvalidInput("rate.format", field, value=raw)
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise InvalidInput("rate.format", field, value=raw) from None
    if not value.is_finite():
        raise InvalidInput("rate.format", field, value=raw)
    if value < 0 or value > 1:
        raise InvalidInput("rate.range", field, value=raw)
    return value


def fmt(value: Decimal) -> str:
    """Money as the CLI prints it: two decimals, no grouping."""
    return f"{to_fen(value):.2f}"
