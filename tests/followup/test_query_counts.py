"""Scale: the staff's list of survey rounds reads the same number of queries whatever the number
of rounds and awards (it read three more per round), and shows the same figures as each round's
own standings."""

import datetime
import re

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aipower.accounts.models import Company
from aipower.applications.models import Application
from aipower.calls.enums import CategoryKind
from aipower.followup import services
from aipower.followup.models import Response, ResponseVersion, Round
from tests.query_counts import measure, with_audit_entry

from .conftest import cleaned, ended_allowance

pytestmark = pytest.mark.integration

# Session, user, second factor, the rounds, the awards, the responses, their versions, and the
# staff navigation's own reads.
INDEX_QUERIES = 9


def queries_of(client, url):
    queries, response, _text = measure(client, url)
    return len(queries), response


def add_programme(call, start, count, rounds, by):
    """``count`` more awards whose period ended (training and inference in turn) and ``rounds``
    more rounds; every other award of the call has answered each round (two versions)."""
    today = timezone.localdate()
    for number in range(start, start + count):
        kind = CategoryKind.TRAINING if number % 2 else CategoryKind.INFERENCE
        ended_allowance(call, f"{70000000 + number}", kind, days_ago=10)
    for number in range(rounds):
        round_ = services.open_round(
            call=call,
            title=f"第{start + number + 1}次產品化調查",
            opens_on=today,
            due_on=today + datetime.timedelta(days=30 + number),
            by=by,
        )
        for standing in services.standings(round_)[::2]:
            response = Response.objects.create(round=round_, award=standing.award)
            for version in (1, 2):
                ResponseVersion.objects.create(
                    response=response,
                    number=version,
                    data=cleaned(),
                    fingerprint=f"{version}" * 64,
                    submitted_by=by,
                    submitted_at=timezone.now(),
                )


def row_cells(html, round_):
    row = re.search(rf'<tr id="round-{round_.pk}">(.*?)</tr>', html, re.S).group(1)
    return re.findall(r"<td>([^<]*)</td>", row)


def expected_cells(round_):
    """The figures the list shows for ``round_``, from the round's own standings."""
    rows = services.standings(round_)
    counts = services.counts(rows)
    return [
        str(len(rows)),
        str(counts["submitted"]),
        str(counts["pending"]),
        str(counts["overdue"]),
    ]


def test_staff_round_list_query_count_does_not_grow_with_rounds_or_awards(staff, call_115):
    client, operator = staff("operator")
    add_programme(call_115, 0, 10, 1, operator)

    small, response = queries_of(client, "/staff/followup/")
    rounds = [entry["round"] for entry in response.context["rounds"]]
    assert len(rounds) == 1
    assert row_cells(response.content.decode(), rounds[0])[2:] == expected_cells(rounds[0])
    assert expected_cells(rounds[0]) == ["10", "5", "5", "0"]

    add_programme(call_115, 10, 20, 2, operator)
    large, response = queries_of(client, "/staff/followup/")

    html = response.content.decode()
    rounds = [entry["round"] for entry in response.context["rounds"]]
    assert len(rounds) == 3
    for round_ in rounds:
        assert row_cells(html, round_)[2:] == expected_cells(round_)
    assert [row_cells(html, round_)[2] for round_ in rounds] == ["30", "30", "30"]
    assert small == large <= INDEX_QUERIES


def test_standings_by_round_equals_each_rounds_standings(operator, call_115):
    add_programme(call_115, 0, 6, 2, operator)
    rounds = list(Round.objects.all())

    by_round = services.standings_by_round(rounds)

    for round_ in rounds:
        assert [
            (row.award.pk, row.status, [v.pk for v in row.versions], row.response)
            for row in by_round[round_.pk]
        ] == [
            (row.award.pk, row.status, [v.pk for v in row.versions], row.response)
            for row in services.standings(round_)
        ]


# Session, user, second factor, the round, the awards, the responses, their versions, the staff
# navigation's and frame's reads; print, CSV and the response page also write an audit entry;
# the response page also reads the reminders sent (with their mail).
ROUND_PAGE_QUERIES = {
    "round": 10,
    "print": with_audit_entry(14),
    "csv": with_audit_entry(12),
    "response": with_audit_entry(15),
}
# Session, user, the round, the answered awards, the company's allowances, its response and
# versions, the frame's reads.
SURVEY_QUERIES = 10


@pytest.mark.parametrize("page", list(ROUND_PAGE_QUERIES))
def test_round_page_query_count_does_not_grow_with_awards_or_versions(staff, call_115, page):
    client, operator = staff("operator")
    add_programme(call_115, 0, 10, 1, operator)
    round_ = Round.objects.get()
    answered = Response.objects.filter(round=round_).order_by("award_id").first()
    url = {
        "round": f"/staff/followup/{round_.pk}/",
        "print": f"/staff/followup/{round_.pk}/print/",
        "csv": f"/staff/followup/{round_.pk}/export.csv",
        "response": f"/staff/followup/{round_.pk}/{answered.award_id}/",
    }[page]

    small, _response = queries_of(client, url)

    add_programme(call_115, 10, 20, 0, operator)
    for number in (3, 4, 5):
        ResponseVersion.objects.create(
            response=answered,
            number=number,
            data=cleaned(),
            fingerprint=f"{number}" * 64,
            submitted_by=operator,
            submitted_at=timezone.now(),
        )
    large, response = queries_of(client, url)

    body = response.content.decode("utf-8-sig")
    if page == "csv":
        assert len(body.strip().splitlines()) == 1 + 30
    elif page == "response":
        assert [f'id="version-{n}"' in body for n in range(1, 6)] == [True] * 5
    else:
        assert body.count('<tr id="row-') == 30
    assert small == large <= ROUND_PAGE_QUERIES[page]


def test_company_survey_query_count_does_not_grow_with_the_programme(
    staff, call_115, client, company_user
):
    _client, operator = staff("operator")
    add_programme(call_115, 0, 10, 1, operator)
    round_ = Round.objects.get()
    answered = Response.objects.filter(round=round_).order_by("award_id").first()
    client.force_login(company_user(answered.award.company))
    url = f"/followup/{round_.pk}/"

    small, _response = queries_of(client, url)

    add_programme(call_115, 10, 20, 0, operator)
    ResponseVersion.objects.create(
        response=answered,
        number=3,
        data={**cleaned(), "product_name": "第三版產品"},
        fingerprint="3" * 64,
        submitted_by=operator,
        submitted_at=timezone.now(),
    )
    large, response = queries_of(client, url)

    assert "第三版產品" in response.content.decode()
    assert small == large <= SURVEY_QUERIES


def dashboard_link(application):
    """The dashboard's survey link for ``application`` (read as the dashboard reads it), and
    the queries it took."""
    application = Application.objects.select_related("award__allowance").get(pk=application.pk)
    template = Template('{% include "followup/_dashboard_link.html" %}')
    with CaptureQueriesContext(connection) as queries:
        html = template.render(Context({"application": application}))
    return len(queries), html


def test_dashboard_link_reads_nothing_for_an_application_without_an_award(
    call_115, operator, company_user
):
    add_programme(call_115, 0, 2, 1, operator)
    user = company_user(Company.objects.create(ubn="12345675", name="未核定公司"))
    application = Application.objects.create(
        call=call_115, company=user.company, category="training", state="submitted"
    )

    queries, html = dashboard_link(application)

    assert (queries, html.strip()) == (0, "")


def test_dashboard_link_names_the_round_covering_the_award(call_115, operator):
    add_programme(call_115, 0, 2, 1, operator)
    round_ = Round.objects.get()
    award = services.standings(round_)[0].award

    _queries, html = dashboard_link(award.application)

    assert f'id="followup-link-{round_.pk}"' in html and round_.title in html


# The company's allowances, the rounds, its responses and their versions.
COMPANY_STANDINGS_QUERIES = 4


def standings_seen_by_staff(company_id):
    """The company's standings as each round's staff page has them, newest round first."""
    return [
        row
        for round_ in Round.objects.all()
        for row in services.standings(round_)
        if row.allowance.company_id == company_id
    ]


def shown(rows):
    return [(row.round.pk, row.award.pk, row.status, [v.pk for v in row.versions]) for row in rows]


def test_company_standings_query_count_does_not_grow_with_rounds(operator, call_115):
    add_programme(call_115, 0, 6, 1, operator)
    answered = Response.objects.order_by("award_id").first().award
    company_id = answered.company_id

    with CaptureQueriesContext(connection) as small:
        one_round = services.company_standings(company_id)

    assert shown(one_round) == shown(standings_seen_by_staff(company_id))
    assert [row.submitted for row in one_round] == [True]
    add_programme(call_115, 6, 12, 2, operator)
    with CaptureQueriesContext(connection) as large:
        three_rounds = services.company_standings(company_id)

    assert shown(three_rounds) == shown(standings_seen_by_staff(company_id))
    assert len(three_rounds) == 3
    assert len(small) == len(large) <= COMPANY_STANDINGS_QUERIES
