"""Template filters for ROC dates: ROC form in zh-Hant, ISO dates in English."""

from django import template
from django.utils import timezone, translation

from aipower.core.roc import format_roc_date, roc_year

register = template.Library()


@register.filter
def roc_date(value):
    if value is None or value == "":
        return ""
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value)
    if translation.get_language() == "en":
        return value.strftime("%Y-%m-%d")
    return format_roc_date(value)


@register.filter
def roc_datetime(value):
    if not value:
        return ""
    value = timezone.localtime(value)
    return f"{roc_date(value)} {value:%H:%M}"


@register.filter
def roc_month(value):
    """The month of a date: ``115年10月`` in zh-Hant (as its dates), ``2026-10`` in English."""
    if not value:
        return ""
    if translation.get_language() == "en":
        return value.strftime("%Y-%m")
    return f"{roc_year(value.year)}年{value.month:02d}月"
