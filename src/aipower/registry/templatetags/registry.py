"""Template filters of the registry pages."""

from django import template

register = template.Library()


@register.filter
def thousands(value):
    """``25000000`` → ``25,000,000`` (amounts as the tax data gives them, in NT$)."""
    if value is None or value == "":
        return ""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return value
