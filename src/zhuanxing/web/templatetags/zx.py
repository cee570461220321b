from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``{{ labels|get_item:code }}``: a dictionary lookup with a variable key."""
    return mapping.get(key, key) if mapping else key


@register.filter
def get_list(mapping, key):
    """``{{ actions|get_list:id }}``: the list stored under ``key``, or an empty list."""
    return (mapping or {}).get(key, [])
