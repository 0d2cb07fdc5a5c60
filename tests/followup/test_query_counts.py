"""Scale: the staff's list of survey rounds reads the same number of queries whatever the number
of rounds and awards (it read three more per round), and shows the same figures as each round's
own standings."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aipower.calls.enums import CategoryKind
from aipower.followup import services
from aipower.followup.models import Response, ResponseVersion, Round

from .conftest import cleaned, ended_allowance

pytestmark = pytest.mark.integration

# Session, user, second factor, the rounds, the awards, the responses, their versions, and the
# staff navigation's own reads.
INDEX_QUERIES = 9


def queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
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
