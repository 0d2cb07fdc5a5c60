"""Template filters of the review pages: ``{{ batch|batch_label }}`` (the batch's name in the
active language), ``{{ tier|tier_label }}`` (「L1（1,000）」, the one tier label) and
``{{ entry|audit_rows }}`` (an audit entry's data as readable key/value rows),
``{{ entry.object_type|audit_object }}`` (the model an audit entry names, 「申請案」),
``{{ assignment.conflict_flag|flag_text }}`` (a stored conflict flag in the page's language),
``{{ row.scores|reviewer_totals }}`` (the meeting's 「82.50（0.512）、…」)."""

from django import template
from django.apps import apps
from django.template.defaultfilters import floatformat
from django.utils import translation
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext

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
def audit_object(object_type):
    """The name of the model an audit entry's object is (``applications.Application`` →
    「申請案」) in the page's language; "" for a type that is not a model."""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return ""
    return capfirst(model._meta.verbose_name)


@register.filter
def audit_rows(data):
    """(key, readable value) for every item of an audit entry's data (no Python repr)."""
    if not isinstance(data, dict):
        return [("", _readable(data))] if data not in (None, "", [], {}) else []
    return [(key, _readable(value)) for key, value in data.items()]


@register.filter
def reviewer_totals(scores):
    """The reviewers' weighted totals with their standardised scores, 「82.50（0.512）、79.00
    （-0.210）」: what a ``blocktranslate`` per score wrote (``{{ total }}（{{ z|floatformat:3
    }}）`` joined by the list's 「、」), a tenth of the meeting table's time, in one pass."""
    each = gettext("%(total)s（%(z)s）")
    return mark_safe(  # noqa: S308 - the totals escaped; floatformat's are safe
        pgettext("list", "、").join(
            each % {"total": conditional_escape(localize(s.total)), "z": floatformat(s.z, 3)}
            for s in scores
        )
    )
