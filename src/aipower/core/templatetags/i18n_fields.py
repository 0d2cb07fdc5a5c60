"""``{{ obj|tr:"title" }}`` shows an operator-typed field in the active language."""

from django import template

from aipower.core.i18n import localized

register = template.Library()


@register.filter
def tr(obj, field):
    return localized(obj, field)
