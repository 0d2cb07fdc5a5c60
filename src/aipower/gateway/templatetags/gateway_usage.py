"""``{% recent_requests allowance %}``: the latest API requests of an inference allowance, with
their ids, for the usage page (grants), which does not import this app."""

from django import template

from .. import usage

register = template.Library()


@register.inclusion_tag("gateway/_recent_requests.html")
def recent_requests(allowance):
    return {
        "allowance": allowance,
        "labels": usage.labels(),
        "rows": usage.recent(allowance),
        "limit": usage.RECENT_REQUESTS,
    }
