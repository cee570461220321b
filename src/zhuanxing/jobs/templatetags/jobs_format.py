from django import template

register = template.Library()


@register.filter
def thousands(value):
    """A count with thousands separators (12,345), whatever the language."""
    if value is None or value == "":
        return "—"
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return value
