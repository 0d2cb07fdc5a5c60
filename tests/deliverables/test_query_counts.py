"""Scale: the deliverables pages read a fixed number of queries whatever the number of awards,
hand-ins and demo meetings; the dashboard's link reads nothing for an award whose service still
runs (it read the award's hand-ins and meetings, two queries, to show nothing)."""

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aipower.applications.models import Application
from aipower.calls.enums import CategoryKind
from aipower.deliverables.enums import Item
from aipower.deliverables.models import DemoAttendance, Submission
from aipower.deliverables.staff_views import PER_PAGE
from aipower.grants import services as grants
from aipower.review.models import Award
from tests.grants.conftest import make_award
from tests.query_counts import measure, with_audit_entry

from .conftest import ended_allowance

pytestmark = pytest.mark.integration

# Session, user, second factor, the allowances (with award, application, category, call and
# company), the hand-ins, the demo meetings, and the staff navigation's and frame's reads; the
# CSV also writes its audit entry. The list also counts its filters (one query) and reads only
# its page's allowances, hand-ins and meetings; an award's page also reads the reminders sent
# (with their mail).
STAFF_QUERIES = {
    "index": 9,
    "print": with_audit_entry(12),
    "csv": with_audit_entry(10),
    "detail": 9,
}
# Session, user, the allowances, the hand-ins, the demo meetings, the frame's reads (three).
COMPANY_QUERIES = 8


def queries_of(client, url):
    queries, _response, text = measure(client, url)
    return len(queries), text


def add_awards(call, start, count, by):
    """``count`` more awards whose period ended (training and inference in turn), each with a
    report linked and replaced once; the training ones with a demo meeting recorded."""
    now = timezone.now()
    allowances = []
    for number in range(start, start + count):
        kind = CategoryKind.TRAINING if number % 2 else CategoryKind.INFERENCE
        allowance = ended_allowance(call, f"{40000000 + number}", kind)
        allowances.append(allowance)
        add_hand_ins(allowance, by, 2, now)
        if kind == CategoryKind.TRAINING:
            DemoAttendance.objects.create(
                award=allowance.award,
                attended=True,
                meeting_on=allowance.ends_on,
                recorded_by=by,
                recorded_at=now,
            )
    return allowances


def add_hand_ins(allowance, by, count, now=None):
    now = now or timezone.now()
    Submission.objects.bulk_create(
        [
            Submission(
                award=allowance.award,
                item=Item.REPORT,
                link=f"https://example.com/{allowance.award_id}/{n}.pdf",
                submitted_by=by,
                submitted_at=now - datetime.timedelta(minutes=n),
            )
            for n in range(count)
        ]
    )


@pytest.mark.parametrize("page", list(STAFF_QUERIES))
def test_staff_page_query_count_does_not_grow_with_awards(call_115, staff, page):
    client, operator = staff("operator")
    [first, *_rest] = add_awards(call_115, 0, 10, operator)
    url = {
        "index": reverse("deliverables_staff:index"),
        "print": reverse("deliverables_staff:print"),
        "csv": reverse("deliverables_staff:csv"),
        "detail": reverse("deliverables_staff:detail", args=[first.award_id]),
    }[page]

    small, _body = queries_of(client, url)

    add_awards(call_115, 10, 20, operator)
    add_hand_ins(first, operator, 4)
    large, body = queries_of(client, url)

    if page == "csv":
        rows = list(csv.reader(io.StringIO(body)))
        assert len(rows) == 1 + 30
        assert sorted(row[2] for row in rows[1:]) == [f"{40000000 + n}" for n in range(30)]
    elif page == "detail":
        assert body.count(f'href="https://example.com/{first.award_id}/') == 6
    else:
        assert body.count('<tr id="row-') == 30
        for award in Award.objects.all():
            assert f'<tr id="row-{award.pk}">' in body
    assert small == large <= STAFF_QUERIES[page]


def test_company_page_query_count_does_not_grow_with_hand_ins(
    call_115, staff, client, company_user
):
    _staff_client, operator = staff("operator")
    allowance = ended_allowance(call_115, "12345675", CategoryKind.INFERENCE)
    client.force_login(company_user(allowance.company))
    add_hand_ins(allowance, operator, 2)
    add_awards(call_115, 0, 10, operator)

    small, _html = queries_of(client, reverse("deliverables:overview"))

    add_hand_ins(allowance, operator, 6)
    add_awards(call_115, 10, 20, operator)
    large, html = queries_of(client, reverse("deliverables:overview"))

    assert html.count('class="card deliverables-award"') == 1
    assert f'id="award-{allowance.award_id}"' in html
    assert small == large <= COMPANY_QUERIES


def as_on_the_dashboard(allowance):
    """The allowance's application as the dashboard reads it (award, allowance, call joined)."""
    return Application.objects.select_related("award__allowance", "award__category__call").get(
        pk=allowance.award.application_id
    )


def dashboard_link(application):
    template = Template('{% include "deliverables/_dashboard_link.html" %}')
    with CaptureQueriesContext(connection) as queries:
        html = template.render(Context({"application": application}))
    return len(queries), html


def test_dashboard_link_reads_nothing_while_the_service_runs(call_115):
    running = grants.open_allowance(make_award(call_115, "12345675", CategoryKind.INFERENCE))
    application = as_on_the_dashboard(running)

    queries, html = dashboard_link(application)

    assert (queries, html.strip()) == (0, "")


def test_dashboard_link_shows_an_ended_awards_due_date(call_115):
    ended = ended_allowance(call_115, "12345675", CategoryKind.INFERENCE)
    application = as_on_the_dashboard(ended)

    queries, html = dashboard_link(application)

    assert f'id="deliverables-link-{ended.award_id}"' in html
    assert queries == 2  # the hand-ins and the demo meetings


def test_staff_list_is_paged_with_its_filter_kept_and_a_fixed_number_of_queries(call_115, staff):
    client, operator = staff("operator")
    add_awards(call_115, 0, 10, operator)
    url = reverse("deliverables_staff:index") + "?status=incomplete"
    small, _html = queries_of(client, url)

    add_awards(call_115, 10, 55, operator)  # 65 awards, every one 未繳齊
    large, first = queries_of(client, url)
    _queries, second = queries_of(client, url + "&page=2")

    assert small == large <= STAFF_QUERIES["index"]
    assert (first.count('<tr id="row-'), second.count('<tr id="row-')) == (PER_PAGE, 15)
    shown = {
        award.pk
        for award in Award.objects.all()
        if f'<tr id="row-{award.pk}">' in first or f'<tr id="row-{award.pk}">' in second
    }
    assert len(shown) == 65
    assert 'href="?status=incomplete&amp;page=2"' in first
    assert 'href="?status=incomplete&amp;page=1"' in second
    assert 'aria-label="分頁"' in first


def test_staff_list_counts_its_filters_in_one_query_and_reads_only_its_pages_hand_ins(
    call_115, staff
):
    """The filters' counts come from one aggregate query, and the hand-ins and demo meetings
    read are those of the page's 50 awards, not of every award (they were read for every
    award to count the filters in Python)."""
    client, operator = staff("operator")
    add_awards(call_115, 0, 65, operator)

    queries, _response, html = measure(
        client, reverse("deliverables_staff:index") + "?status=incomplete"
    )

    counting = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert len(counting) == 1
    awards_read = {
        table: re.findall(rf'"{table}"\."award_id" IN \(([^)]*)\)', q["sql"])
        for q in queries
        for table in ("deliverables_submission", "deliverables_demoattendance")
        if q["sql"].startswith(f'SELECT "{table}"')
    }
    assert set(awards_read) == {"deliverables_submission", "deliverables_demoattendance"}
    for [ids] in awards_read.values():
        assert len(ids.split(",")) == PER_PAGE
    assert "全部（65）" in html and "未繳齊（65）" in html and "逾期（0）" in html
