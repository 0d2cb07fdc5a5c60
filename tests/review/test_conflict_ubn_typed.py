"""The conflict check reads a 統一編號 in a reviewer's affiliations as people type it: with a
hyphen or spaces, in full-width digits (the number itself, as the applicant's)."""

import pytest

from aipower.review import services
from aipower.review.models import ReviewerProfile

from .helpers import make_eligible

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("typed", ["0459-5257", "0459 5257", "０４５９－５２５７"])
def test_a_number_typed_with_a_hyphen_or_full_width_is_flagged(app_a, operator, reviewers, typed):
    ReviewerProfile.objects.create(user=reviewers[0], affiliations=f"丙公司\n{typed}")
    make_eligible(app_a, operator)

    assignment = services.assign_reviewer(app_a, reviewers[0], operator)

    assert typed in assignment.conflict_flag
    assert services.conflict_flags(app_a, [reviewers[0]])[reviewers[0].pk]


def test_a_name_keeps_its_hyphen_and_is_not_taken_for_a_number():
    assert services.comparable("甲-智能 Co") == "甲-智能co"
    assert services.comparable("1234-567") == "1234-567"
