"""The review pages ask the database a fixed number of times, however many applications,
reviewers and decisions a batch holds (no query per row): measured at two volumes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aipower.calls.models import Tier
from aipower.review import services
from aipower.review.models import Budget
from tests.applications.conftest import make_company_user

from .conftest import make_staff, submitted, verified_client
from .helpers import assign_and_declare, make_eligible, score_uniformly

pytestmark = pytest.mark.integration

UBNS = ["04595257", "10458575", "10458574", "12345675", "22099131", "62140097"]


def add_applications(call, operator, reviewers, ubns, start):
    """Applications of the first batch, each scored by every reviewer and staged approved."""
    tier = Tier.objects.get(call=call, code="L1")
    apps = []
    for offset, ubn in enumerate(ubns):
        user = make_company_user(ubn, f"量測{start + offset}號股份有限公司")
        app = submitted(user, call)
        make_eligible(app, operator)
        for n, assignment in enumerate(assign_and_declare(app, reviewers, operator)):
            score_uniformly(assignment, reviewers[n], 60 + offset + n)
        services.stage_decision(app, operator, outcome="approved", tier=tier)
        apps.append(app)
    return apps


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries.captured_queries)


@pytest.fixture
def volumes(open_call, operator, organiser):
    """Measure ``pages`` (name → url of the batch) at two applications, then at five."""
    reviewers = [make_staff(f"qrev{n}", "reviewer") for n in range(3)]
    Budget.objects.create(
        category=open_call.categories.get(kind="training"), points=10**6, minimum_reviewers=3
    )

    def measure(urls_of, as_user):
        client = verified_client(as_user)
        client.get(reverse("review:index"))  # the first request may write the session
        apps = add_applications(open_call, operator, reviewers, UBNS[:2], 0)
        small = {name: count(client, url) for name, url in urls_of(apps[0]).items()}
        add_applications(open_call, operator, reviewers, UBNS[2:], 2)
        large = {name: count(client, url) for name, url in urls_of(apps[0]).items()}
        return small, large

    return measure, reviewers


def test_batch_and_meeting_pages_queries_do_not_grow_with_applications(volumes, operator):
    measure, _reviewers = volumes

    def urls_of(app):
        pk = app.batch_id
        return {
            "batch": reverse("review:batch", args=[pk]),
            "meeting": reverse("review:meeting", args=[pk]),
            "csv": reverse("review:meeting_csv", args=[pk]),
            "xlsx": reverse("review:meeting_xlsx", args=[pk]),
            "index": reverse("review:index"),
        }

    small, large = measure(urls_of, operator)

    assert large == small


def test_reviewer_list_queries_do_not_grow_with_assignments(volumes):
    measure, reviewers = volumes

    small, large = measure(lambda app: {"mine": reverse("review:mine")}, reviewers[0])

    assert large == small


def test_index_queries_do_not_grow_with_frozen_batches(open_call, operator, organiser):
    """The index's 待核定 count reads every frozen batch's applications in one query."""
    from aipower.review.models import BatchReview

    client = verified_client(organiser)
    client.get(reverse("review:index"))  # the first request may write the session
    batches = list(open_call.categories.get(kind="inference").batches.order_by("number"))
    counts = []
    for frozen in (batches[:1], batches[:5]):
        for batch in frozen:
            BatchReview.objects.update_or_create(
                batch=batch, defaults={"frozen_at": timezone.now(), "frozen_by": operator}
            )
        counts.append(count(client, reverse("review:index")))

    assert counts[0] == counts[1]


# Session, user, second factor, the batch (with its category, call and review), the
# applications (with their companies), their assignments, their scores (with the criteria's
# weights), their decisions, tax records and start-up settlements, the budget's three (budget,
# awarded, staged), the staff navigation's current call; and the call's tiers, the options of
# the operator's decision forms (the organiser has none).
MEETING_QUERIES = {"operator": 15, "organiser": 14}


@pytest.mark.parametrize("role", list(MEETING_QUERIES))
def test_meeting_page_reads_a_fixed_number_of_queries_and_builds_only_the_forms_shown(
    volumes, role, operator, organiser
):
    measure, _reviewers = volumes
    user = {"operator": operator, "organiser": organiser}[role]
    urls = {}

    def urls_of(app):
        urls["meeting"] = reverse("review:meeting", args=[app.batch_id])
        return urls

    small, large = measure(urls_of, user)
    html = verified_client(user).get(urls["meeting"]).content.decode()

    assert small["meeting"] == large["meeting"] <= MEETING_QUERIES[role]
    # The operator records decisions; the organiser adjusts points or sends one back.
    shown = {form: html.count(f'class="{form}"') for form in ("decision-form", "override-form")}
    assert shown == (
        {"decision-form": 6, "override-form": 0}
        if role == "operator"
        else {"decision-form": 0, "override-form": 6}
    )
