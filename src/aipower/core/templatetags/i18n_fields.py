"""``{{ obj|tr:"title" }}`` shows an operator-typed field in the active language;
``{{ items|join_list }}`` joins an inline list with the active language's separator (``、`` or
``, ``) and ``{{ company|company_label }}`` writes a company as ``名稱（統一編號）``."""

from django import template

from aipower.core import i18n
from aipower.core.i18n import localized

register = template.Library()


@register.filter
def tr(obj, field):
    return localized(obj, field)


@register.filter
def join_list(items):
    return i18n.join_list(items)


@register.filter
def company_label(company):
    return i18n.company_label(company) if company else ""
