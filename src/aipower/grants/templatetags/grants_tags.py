"""Template filters of the grants app for pages of other apps (the applicant's dashboard)."""

from django import template

from .. import services

register = template.Library()


@register.filter
def service_state_label(allowance):
    """What the company's service is today (使用中, 使用期間尚未開始, 使用期間已屆滿…), as the
    usage page says it."""
    return services.service_state(allowance).label if allowance is not None else ""
