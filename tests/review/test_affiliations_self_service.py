"""A reviewer keeps their own affiliations (before: only the operator, in the admin): the
conflict check compares them with every applicant, so a line matching an application assigned
to them withdraws them from it at once; the change is audited."""

import pytest
from django.urls import reverse

from aipower.applications.models import Application
from aipower.core.models import AuditEntry
from aipower.review import services
from aipower.review.models import Assignment, ReviewerProfile

from .conftest import verified_client
from .helpers import make_eligible

pytestmark = pytest.mark.integration

URL = reverse("review:affiliations")


def test_a_reviewer_declares_an_affiliation_and_is_withdrawn_from_the_matching_application(
    app_a, app_b, operator, reviewers
):
    # Another applicant with a representative of its own (a shared one is a conflict too).
    Application.objects.filter(pk=app_b.pk).update(
        data={**app_b.data, "profile": {**app_b.data["profile"], "representative": "李小華"}}
    )
    make_eligible(app_a, operator)
    make_eligible(app_b, operator)
    mine = services.assign_reviewer(app_a, reviewers[0], operator)
    other = services.assign_reviewer(app_b, reviewers[0], operator)
    client = verified_client(reviewers[0])

    page = client.get(URL).content.decode()
    assert '<label for="id_affiliations">任職或關係機構' in page

    response = client.post(
        URL, {"affiliations": f"  國立臺灣大學 \n\n{app_a.company.ubn}\n"}, follow=True
    )

    text = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("review:mine")
    assert "已更新任職或關係機構" in text
    assert f"已撤除 1 件審查案件：{app_a.number}" in text
    assert ReviewerProfile.objects.get(user=reviewers[0]).affiliation_lines() == [
        "國立臺灣大學",
        app_a.company.ubn,
    ]
    assert Assignment.objects.get(pk=mine.pk).conflict_flag != ""
    assert Assignment.objects.get(pk=other.pk).conflict_flag == ""
    entry = AuditEntry.objects.get(action="review.affiliations_updated")
    assert entry.actor == reviewers[0]
    assert entry.data["before"] == []
    assert entry.data["after"] == ["國立臺灣大學", app_a.company.ubn]
    assert entry.data["flagged"] == [app_a.number]
    # The list page shows what is declared.
    listed = client.get(reverse("review:mine")).content.decode()
    assert "<li>國立臺灣大學</li>" in listed


def test_saving_the_same_lines_records_nothing(reviewers):
    ReviewerProfile.objects.create(user=reviewers[0], affiliations="國立臺灣大學")
    client = verified_client(reviewers[0])

    assert "國立臺灣大學" in client.get(URL).content.decode()
    client.post(URL, {"affiliations": "國立臺灣大學\n"})

    assert not AuditEntry.objects.filter(action="review.affiliations_updated").exists()


def test_only_reviewers_keep_affiliations_here(operator, organiser):
    for user in (operator, organiser):
        assert verified_client(user).get(URL).status_code == 403
    with pytest.raises(services.NotPermitted):
        services.update_affiliations(operator, "甲")


def test_too_long_a_list_is_refused_and_kept_as_typed(reviewers):
    typed = "機構\n" * 1500
    response = verified_client(reviewers[0]).post(URL, {"affiliations": typed})

    assert response.status_code == 200
    text = response.content.decode()
    assert 'id="id_affiliations_error"' in text or "errorlist" in text
    assert "機構\n機構" in text
    assert not ReviewerProfile.objects.filter(user=reviewers[0]).exists()
