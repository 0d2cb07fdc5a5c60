"""States of an application, from draft to the review's outcome.

The transitions between them, who may make each and what the applicant sees, are declared as
data in ``aipower.review.workflow``; the labels here are the staff's wording.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已送出")
    ELIGIBILITY_REVIEW = "eligibility_review", _("資格審查中")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("待補件")
    RESUBMITTED = "resubmitted", _("已補件")
    ELIGIBLE = "eligible", _("資格符合")
    NOT_ACCEPTED = "not_accepted", _("不予受理")
    INELIGIBLE = "ineligible", _("資格不符")
    IN_REVIEW = "in_review", _("專業審查中")
    DECIDED = "decided", _("審查會議已決議")
    APPROVED = "approved", _("核定通過")
    NOT_APPROVED = "not_approved", _("未獲核定")


# What the applicant reads for each state: the meeting's decision stays 「專業審查中」 until
# the organiser approves the list (名單經核定後公告).
APPLICANT_LABELS = {
    ApplicationState.DRAFT: _("草稿"),
    ApplicationState.SUBMITTED: _("已送出"),
    ApplicationState.ELIGIBILITY_REVIEW: _("資格審查中"),
    ApplicationState.SUPPLEMENT_REQUESTED: _("待補件"),
    ApplicationState.RESUBMITTED: _("已補件，資格審查中"),
    ApplicationState.ELIGIBLE: _("資格審查通過，待專業審查"),
    ApplicationState.NOT_ACCEPTED: _("不予受理"),
    ApplicationState.INELIGIBLE: _("資格不符"),
    ApplicationState.IN_REVIEW: _("專業審查中"),
    ApplicationState.DECIDED: _("專業審查中"),
    ApplicationState.APPROVED: _("核定通過"),
    ApplicationState.NOT_APPROVED: _("未獲核定"),
}


def applicant_label(state):
    return APPLICANT_LABELS[ApplicationState(state)]
