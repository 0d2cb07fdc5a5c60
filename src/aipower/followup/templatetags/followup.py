"""``{% followup_open application as standings %}``: the company's standing in each survey round
of the application's call that accepts answers now (for the dashboard's link); and the site's
badge class of a standing's status."""

from django import template
from django.core.exceptions import ObjectDoesNotExist

from aipower.followup import services

register = template.Library()


@register.simple_tag
def followup_open(application):
    if application is None or not getattr(application, "pk", None):
        return []
    try:
        allowance = application.award.allowance
    except ObjectDoesNotExist:
        allowance = None
    if allowance is None:  # no award, or its service has not opened: no round covers it
        return []
    return [
        standing
        for standing in services.company_standings(
            application.company_id, call_id=application.call_id
        )
        if standing.accepting and standing.award.application_id == application.pk
    ]


BADGES = {"submitted": "badge-success", "pending": "badge-warning", "overdue": "badge-error"}


@register.filter
def followup_badge(status):
    return BADGES.get(str(status), "badge-muted")
