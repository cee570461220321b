"""Template helpers, and the site's one formatting rule per unit.

万元 amounts: thousands separators and 2 decimals; counts: integers with separators; shares:
percentages with 1 decimal. Rounding is half-up on the decimal value (floats go through their
shortest repr first, so 0.125 rounds to 0.13 and not to 0.12); a missing value shows "—".
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

register = template.Library()

MISSING = "—"


@register.filter
def get_item(mapping, key):
    """``{{ labels|get_item:code }}``: a dictionary lookup with a variable key."""
    return mapping.get(key, key) if mapping else key


@register.filter
def get_list(mapping, key):
    """``{{ actions|get_list:id }}``: the list stored under ``key``, or an empty list."""
    return (mapping or {}).get(key, [])


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


register.filter("wan", format_wan)
register.filter("measure", format_measure)
register.filter("count", format_count)
register.filter("percent", format_percent)
register.filter("share", format_share)
