"""The permission matrix of the review pages: every page and action × operator / reviewer
(assigned, and another one) / organiser / the applicant / another company / anonymous."""

import csv
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from aipower.calls.models import Tier
from aipower.review import services
from aipower.review.models import Budget

from .conftest import make_staff, verified_client
from .helpers import assign_and_declare, make_eligible, score_uniformly

pytestmark = pytest.mark.integration

USERS = [
    "operator",
    "reviewer",
    "other_reviewer",
    "organiser",
    "applicant",
    "other_company",
    "anonymous",
]


@pytest.fixture
def scene(app_a, company_a, company_b, operator, organiser, reviewers):
    """app_a scored by one reviewer (the category's minimum is set to one) and staged as
    approved (L2) by the meeting."""
    Budget.objects.create(
        category=app_a.call.categories.get(kind=app_a.category), points=100000, minimum_reviewers=1
    )
    make_eligible(app_a, operator)
    (assignment,) = assign_and_declare(app_a, reviewers[:1], operator)
    score_uniformly(assignment, reviewers[0], 80)
    services.stage_decision(
        app_a, operator, outcome="approved", tier=Tier.objects.get(call=app_a.call, code="L2")
    )
    users = {
        "operator": operator,
        "reviewer": reviewers[0],
        "other_reviewer": reviewers[1],
        "organiser": organiser,
        "applicant": company_a,
        "other_company": company_b,
    }
    return {"app": app_a, "batch": app_a.batch, "assignment": assignment, "users": users}


def client_for(scene, who):
    if who == "anonymous":
        return Client()
    user = scene["users"][who]
    if user.role == "company":
        client = Client()
        client.force_login(user)
        return client
    return verified_client(user)


def url(scene, name):
    targets = {
        "index": [],
        "mine": [],
        "audit": [],
        "batch": [scene["batch"].pk],
        "meeting": [scene["batch"].pk],
        "meeting_csv": [scene["batch"].pk],
        "meeting_xlsx": [scene["batch"].pk],
        "application": [scene["app"].pk],
        "application_print": [scene["app"].pk],
        "application_pdf": [scene["app"].pk],
        "assignment": [scene["assignment"].pk],
        "batch_freeze": [scene["batch"].pk],
        "batch_remind": [scene["batch"].pk],
        "batch_approve": [scene["batch"].pk],
        "batch_award_start": [scene["batch"].pk],
        "application_eligibility": [scene["app"].pk],
        "application_assign": [scene["app"].pk],
        "application_decision": [scene["app"].pk],
        "application_override": [scene["app"].pk],
        "assignment_reopen": [scene["assignment"].pk],
        "assignment_unassign": [scene["assignment"].pk],
    }
    return reverse(f"review:{name}", args=targets[name])


OK, DENIED, NOT_FOUND, LOGIN = 200, 403, 404, "login"
# Pages (GET): what each user gets. "login": redirected to the staff sign-in.
PAGES = {
    #                    operator reviewer other_rev organiser
    "index": (OK, 302, 302, OK),
    "mine": (DENIED, OK, OK, DENIED),
    "audit": (OK, DENIED, DENIED, OK),
    "batch": (OK, DENIED, DENIED, OK),
    "meeting": (OK, DENIED, DENIED, OK),
    "meeting_csv": (OK, DENIED, DENIED, OK),
    "meeting_xlsx": (OK, DENIED, DENIED, OK),
    "application": (OK, DENIED, DENIED, OK),
    "application_print": (OK, OK, DENIED, OK),
    "application_pdf": (OK, OK, DENIED, OK),
    "assignment": (DENIED, OK, NOT_FOUND, DENIED),
}
# Actions (POST): who may reach the service (a redirect back); the others are refused.
ACTIONS = {
    "batch_freeze": "operator",
    "batch_remind": "operator",
    "application_eligibility": "operator",
    "application_assign": "operator",
    "application_decision": "operator",
    "assignment_reopen": "operator",
    "assignment_unassign": "operator",
    "batch_award_start": "operator",
    "application_override": "organiser",
    "batch_approve": "organiser",
}
# Actions whose empty POST is refused with the page shown again (the scene's application is
# decided, so the eligibility form is gone and that action redirects).
SHOWN_AGAIN = {"application_decision", "application_override", "batch_approve"}
STAFF = ["operator", "reviewer", "other_reviewer", "organiser"]


def expected_page(name, who):
    if who in ("applicant", "other_company", "anonymous"):
        return LOGIN
    return PAGES[name][STAFF.index(who)]


@pytest.mark.parametrize("who", USERS)
def test_every_page_answers_each_user_as_the_matrix_says(scene, who):
    client = client_for(scene, who)
    got = {}
    for name in PAGES:
        response = client.get(url(scene, name))
        expected = expected_page(name, who)
        if expected == LOGIN:
            got[name] = (
                LOGIN
                if response.status_code == 302 and response["Location"].startswith("/staff/login/")
                else response.status_code
            )
        else:
            got[name] = response.status_code
    assert got == {name: expected_page(name, who) for name in PAGES}


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("who", USERS)
def test_every_action_is_refused_to_all_but_its_role(scene, action, who):
    client = client_for(scene, who)

    response = client.post(url(scene, action), {})

    if who == ACTIONS[action] and action in SHOWN_AGAIN:
        # A refused form comes back with its errors (status 400), not as a redirect.
        assert response.status_code == 400
    elif who == ACTIONS[action]:
        assert response.status_code == 302
        assert response["Location"].startswith("/staff/review/")
    elif who in ("applicant", "other_company", "anonymous"):
        assert response.status_code == 302
        assert response["Location"].startswith("/staff/login/")
    else:
        assert response.status_code == 403


def test_staff_reading_an_application_is_audited(scene):
    from aipower.core.models import AuditEntry

    app = scene["app"]
    client_for(scene, "organiser").get(reverse("review:application", args=[app.pk]))
    client_for(scene, "reviewer").get(reverse("review:assignment", args=[scene["assignment"].pk]))
    client_for(scene, "operator").get(reverse("review:application_print", args=[app.pk]))

    viewed = AuditEntry.objects.filter(
        object_id=str(app.pk),
        action__in=[
            "review.application_viewed",
            "review.assignment_viewed",
            "review.application_printed",
        ],
    )
    assert sorted((e.action, e.actor.username, e.data["number"]) for e in viewed) == [
        ("review.application_printed", "op", app.number),
        ("review.application_viewed", "org", app.number),
        ("review.assignment_viewed", "rev1", app.number),
    ]


def test_actions_refuse_get(scene):
    client = client_for(scene, "operator")
    for action in ACTIONS:
        assert client.get(url(scene, action)).status_code == 405


def test_reviewer_page_never_shows_another_reviewers_scores(scene, reviewers, operator):
    app = scene["app"]
    other = make_staff("rev9", "reviewer")
    client = verified_client(other)
    response = client.get(reverse("review:mine"))
    assert app.number not in response.content.decode()
    reviewer_page = verified_client(reviewers[0]).get(url(scene, "assignment")).content.decode()
    assert "80" in reviewer_page
    assert "rev2" not in reviewer_page


def test_meeting_page_shows_ranking_and_budget(scene):
    response = client_for(scene, "organiser").get(url(scene, "meeting"))
    html = response.content.decode()
    assert scene["app"].number in html
    assert 'id="points-staged">2,000<' in html
    assert 'id="approve-list"' in html


def test_exports_have_header_and_row(scene):
    csv_text = client_for(scene, "operator").get(url(scene, "meeting_csv")).content.decode()
    lines = csv_text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("排名,申請編號,申請企業,統一編號,新創優先,委員1加權總分")
    assert lines[1].startswith(f"1,{scene['app'].number},甲智能股份有限公司,04595257,")
    assert ",核定通過,L2,2000," in lines[1]
    xlsx = client_for(scene, "operator").get(url(scene, "meeting_xlsx"))
    sheet = load_workbook(BytesIO(xlsx.content)).active
    assert sheet["B2"].value == scene["app"].number
    pdf = client_for(scene, "operator").get(url(scene, "application_pdf"))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


@pytest.mark.parametrize(("name", "kind"), [("meeting_csv", "csv"), ("meeting_xlsx", "xlsx")])
def test_meeting_export_is_in_the_audit_log(scene, name, kind):
    from aipower.core.models import AuditEntry

    response = client_for(scene, "organiser").get(url(scene, name))

    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="review.meeting_exported")
    assert (entry.actor, entry.object_id, entry.data["format"]) == (
        scene["users"]["organiser"],
        str(scene["batch"].pk),
        kind,
    )


def test_meeting_page_in_english_has_english_punctuation(scene):
    client = client_for(scene, "organiser")
    client.cookies["django_language"] = "en"

    html = client.get(url(scene, "meeting")).content.decode()

    assert "<h1>Review meeting: " in html
    assert '<td class="scores">80.00 (0.000)' in html


def test_audit_page_filters_by_action(scene):
    response = client_for(scene, "operator").get(
        reverse("review:audit"), {"action": "review.decision_staged"}
    )
    html = response.content.decode()
    assert "review.decision_staged" in html
    assert "review.assigned" not in html


def test_the_award_starts_on_the_operators_day(scene):
    import datetime

    from django.utils import timezone

    from aipower.review.models import Award

    scene["app"].refresh_from_db()
    services.freeze_batch(scene["batch"], scene["users"]["operator"])
    starts = timezone.localdate() + datetime.timedelta(days=3)

    set_start = client_for(scene, "operator").post(
        url(scene, "batch_award_start"), {"starts_on": starts.isoformat()}
    )
    approved = client_for(scene, "organiser").post(url(scene, "batch_approve"), {})

    assert (set_start.status_code, approved.status_code) == (302, 302)
    award = Award.objects.get()
    assert (award.starts_on, award.ends_on) == (
        starts,
        services.period_end(starts, 3),
    )


def test_exports_write_a_formula_like_reason_as_text(scene):
    reason = '=HYPERLINK("http://127.0.0.1/x","點此")'
    services.stage_decision(
        scene["app"], scene["users"]["operator"], outcome="not_approved", reasons=reason
    )
    client = client_for(scene, "operator")

    csv_rows = list(
        csv.reader(
            client.get(url(scene, "meeting_csv")).content.decode().lstrip("\ufeff").splitlines()
        )
    )
    xlsx = client.get(url(scene, "meeting_xlsx"))
    sheet = load_workbook(BytesIO(xlsx.content)).active
    header = [cell.value for cell in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("決議理由") + 1)

    assert csv_rows[1][csv_rows[0].index("決議理由")] == "'" + reason
    assert (cell.value, cell.data_type) == (reason, "s")
