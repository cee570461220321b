"""Number formatting for the cockpit: thousands separators, at most 2 decimals, 暂无数据 for None."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

register = template.Library()


def _format(value) -> str:
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number:,.2f}"


@register.filter
def figure(value) -> str:
    if value is None:
        return _("暂无数据")
    return _format(value)


@register.filter
def signed(value) -> str:
    if value is None:
        return "—"
    text = _format(value)
    return text if Decimal(str(value)) < 0 else f"+{text}"
