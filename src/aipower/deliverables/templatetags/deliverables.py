"""``{% deliverables_due application as ob %}``: the obligation of an application's award when
its deliverables are open (for the dashboard's link), else ``None``."""

from django import template
from django.core.exceptions import ObjectDoesNotExist

from aipower.deliverables import services

register = template.Library()


@register.simple_tag
def deliverables_due(application):
    try:
        allowance = application.award.allowance
    except (ObjectDoesNotExist, AttributeError):
        return None
    if not services.is_open(allowance):  # the service runs: nothing to read
        return None
    return services.obligation(allowance)


BADGES = {
    # Obligation.status
    "complete": "badge-success",
    "overdue": "badge-error",
    "pending": "badge-warning",
    "not_open": "badge-muted",
    # ItemStatus.state
    "submitted": "badge-success",
    "late": "badge-warning",
}


@register.filter
def state_badge(state):
    """The site's badge class for a status or an item's state."""
    return BADGES.get(str(state), "badge-muted")
