"""Template helpers, and the number formats of ``zhuanxing.numbers`` as filters:
``{{ amount|wan }}``, ``{{ n|count }}``, ``{{ fraction|share }}``, ``{{ p|percent }}``,
``{{ value|measure:unit }}``."""

from __future__ import annotations

from django import template

from zhuanxing.numbers import format_count, format_measure, format_percent, format_share, format_wan

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``{{ labels|get_item:code }}``: a dictionary lookup with a variable key."""
    return mapping.get(key, key) if mapping else key


@register.filter
def get_list(mapping, key):
    """``{{ actions|get_list:id }}``: the list stored under ``key``, or an empty list."""
    return (mapping or {}).get(key, [])


register.filter("wan", format_wan)
register.filter("measure", format_measure)
register.filter("count", format_count)
register.filter("percent", format_percent)
register.filter("share", format_share)
