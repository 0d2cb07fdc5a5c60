"""Template filters of the grants app for pages of other apps (the applicant's dashboard) and
the time a printed page carries."""

from django import template
from django.utils import timezone

from aipower.core.templatetags.roc import roc_datetime

from .. import services

register = template.Library()


@register.filter
def service_state_label(allowance):
    """What the company's service is today (使用中, 使用期間尚未開始, 使用期間已屆滿…), as the
    usage page says it."""
    return services.service_state(allowance).label if allowance is not None else ""


@register.simple_tag
def printed_now():
    """Now, written as the page writes its dates (ROC in zh-Hant, ISO in English): the time a
    printout says it was printed at."""
    return roc_datetime(timezone.now())
