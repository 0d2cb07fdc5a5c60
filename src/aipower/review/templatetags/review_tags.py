"""Template filters of the review pages: ``{{ batch|batch_label }}`` (the batch's name in the
active language), ``{{ tier|tier_label }}`` (「L1（1,000）」, the one tier label) and
``{{ entry|audit_rows }}`` (an audit entry's data as readable key/value rows),
``{{ assignment.conflict_flag|flag_text }}`` (a stored conflict flag in the page's language)."""

from django import template
from django.utils import translation

from aipower.core.i18n import join_list
from aipower.review import services

register = template.Library()


@register.filter
def batch_label(batch):
    return services.batch_label(batch) if batch else ""


@register.filter
def flag_text(stored):
    """A conflict flag stored by the check, in the page's language."""
    return services.flag_in_language(stored) if stored else ""


@register.filter
def tier_label(tier):
    return services.tier_label(tier) if tier else ""


def _readable(value):
    if isinstance(value, dict):
        separator = "; " if translation.get_language() == "en" else "；"
        return separator.join(f"{key}: {_readable(item)}" for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return join_list(_readable(item) for item in value) or "—"
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@register.filter
def audit_rows(data):
    """(key, readable value) for every item of an audit entry's data (no Python repr)."""
    if not isinstance(data, dict):
        return [("", _readable(data))] if data not in (None, "", [], {}) else []
    return [(key, _readable(value)) for key, value in data.items()]
