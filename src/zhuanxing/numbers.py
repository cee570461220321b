"""The site's one formatting rule per unit, for pages, exports of text and generated sentences.

万元 amounts: thousands separators and 2 decimals; counts: integers with separators; shares:
percentages with 1 decimal. Rounding is half-up on the decimal value (floats go through their
shortest repr first, so 0.125 rounds to 0.13 and not to 0.12); a missing value shows "—".
Pure: imports no Django (the template filters in ``web/templatetags/zx.py`` call these).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

MISSING = "—"


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() else None


def _grouped(number: Decimal, places: int) -> str:
    quantum = Decimal(1).scaleb(-places)
    rounded = number.quantize(quantum, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # no "-0.00" for a tiny negative
    return f"{rounded:,.{places}f}"


def format_wan(value) -> str:
    number = _decimal(value)
    return MISSING if number is None else _grouped(number, 2)


def format_count(value) -> str:
    number = _decimal(value)
    return MISSING if number is None else _grouped(number, 0)


def format_percent(value) -> str:
    """A number already in percent (12.345 → "12.3%")."""
    number = _decimal(value)
    return MISSING if number is None else f"{_grouped(number, 1)}%"


def format_share(value) -> str:
    """A fraction of one (0.12345 → "12.3%")."""
    number = _decimal(value)
    return MISSING if number is None else format_percent(number * 100)


# the units counted in whole numbers; any other unit (吨, 亩, 万千瓦时) reads with 2 decimals like 万元
COUNTED_UNITS = {"人", "家", "个", "项", "件", "次", "台"}


def format_measure(value, unit: str = "") -> str:
    """A value in the unit it is stored in: ``{{ line.value|measure:line.unit }}``."""
    if unit in COUNTED_UNITS:
        return format_count(value)
    if unit == "%":
        return format_percent(value)
    return format_wan(value)
