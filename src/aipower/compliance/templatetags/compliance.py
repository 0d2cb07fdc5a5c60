"""``{% company_compliance allowance %}``: what the company must know about its service's
compliance — an inactivity notice awaiting use, and the sanctions decided on its violations.
Used by the usage pages (grants), which do not import this app.

A page showing several allowances reads them all at once: ``{% compliance_of allowances as
known %}`` (two queries), then ``{% company_compliance allowance known %}`` for each.
"""

from django import template

from ..enums import NoticeOutcome, Sanction
from ..models import InactivityNotice, Violation

register = template.Library()


@register.simple_tag
def compliance_of(allowances):
    """``{allowance pk: {"notice": …, "sanctions": […]}}`` for each of ``allowances``."""
    allowances = list(allowances)
    known = {allowance.pk: {"notice": None, "sanctions": []} for allowance in allowances}
    if not known:
        return known
    by_award = {allowance.award_id: allowance.pk for allowance in allowances}
    for notice in InactivityNotice.objects.filter(
        allowance_id__in=known, outcome=NoticeOutcome.OPEN
    ):
        known[notice.allowance_id]["notice"] = notice
    decided = (
        Violation.objects.filter(award_id__in=by_award)
        .exclude(sanction__in=[Sanction.PENDING, Sanction.NONE])
        .select_related("list_entry")
    )
    for violation in decided:
        known[by_award[violation.award_id]]["sanctions"].append(violation)
    return known


@register.inclusion_tag("compliance/_company.html")
def company_compliance(allowance, known=None):
    """``known``: what ``compliance_of`` read for the page's allowances, if it did."""
    if known is None or allowance.pk not in known:
        known = compliance_of([allowance])
    return known[allowance.pk]
