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


@register.filter
def import_reason(value):
    """An importer's reason (a skipped row's, a failed import's) as the operator reads it, in
    the page's language (``import_messages.for_operator``)."""
    from aipower.registry.import_messages import for_operator

    return for_operator(value)
