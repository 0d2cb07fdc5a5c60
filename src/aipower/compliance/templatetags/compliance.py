"""``{% company_compliance allowance %}``: what the company must know about its service's
compliance — an inactivity notice awaiting use, and the sanctions decided on its violations.
Used by the usage pages (grants), which do not import this app."""

from django import template

from ..enums import NoticeOutcome, Sanction
from ..models import InactivityNotice, Violation

register = template.Library()


@register.inclusion_tag("compliance/_company.html")
def company_compliance(allowance):
    notice = InactivityNotice.objects.filter(
        allowance=allowance, outcome=NoticeOutcome.OPEN
    ).first()
    sanctions = Violation.objects.filter(award_id=allowance.award_id).exclude(
        sanction__in=[Sanction.PENDING, Sanction.NONE]
    )
    return {"notice": notice, "sanctions": list(sanctions)}
