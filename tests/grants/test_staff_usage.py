"""The staff's usage overview (/staff/usage/): every award's points and service state, the
totals per category, the points used per month, the CSV; operator and organiser only."""

import datetime

import pytest
from django.utils import timezone

from aipower.calls.enums import CategoryKind
from aipower.core.models import AuditEntry
from aipower.grants import services
from tests.conftest import verified_client
from tests.query_counts import measure

from .conftest import make_award

pytestmark = pytest.mark.integration

URL = "/staff/usage/"


@pytest.fixture
def staff(django_user_model):
    def sign_in(role):
        user = django_user_model.objects.create_user(str(role), password="x" * 16, role=role)
        return user, verified_client(user)

    return sign_in


def use(award, tokens, request_id):
    allowance = services.open_allowance(award)
    model = award.allowed_models.first()
    services.settle(
        services.reserve(allowance.pk, tokens, request_id), tokens, f"gw:{request_id}", model
    )
    return allowance


@pytest.fixture
def awards(call_115):
    inference = make_award(call_115, "12345675", CategoryKind.INFERENCE)
    use(inference, 250_000, "r1")
    training = make_award(call_115, "04595257", CategoryKind.TRAINING, points=2000)
    services.open_allowance(training)
    ended = make_award(
        call_115,
        "84700087",
        CategoryKind.INFERENCE,
        starts_on=timezone.localdate() - datetime.timedelta(days=120),
        ends_on=timezone.localdate() - datetime.timedelta(days=29),
    )
    services.open_allowance(ended)
    return inference, training, ended


def table_rows(html, table_id):
    import re

    table = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    return [
        [
            re.sub(r"<[^>]+>", " ", cell).split()
            for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def test_the_operator_sees_each_award_and_the_totals(staff, awards):
    _user, client = staff("operator")

    html = client.get(URL).content.decode()

    totals = table_rows(html, "usage-totals")
    assert totals[0][:8] == [
        ["模型訓練類"],
        ["1"],
        ["1"],
        ["2,000"],
        ["0"],
        ["2,000"],
        ["0%"],
        ["0", "GPU", "小時"],
    ]
    assert totals[1][:8] == [
        ["模型推論類"],
        ["2"],
        ["1"],
        ["2,000"],
        ["2.5"],
        ["1,997.5"],
        ["&lt;1%"],  # 2.5 of 2,000 points: used, less than one percent
        ["250,000", "Token"],
    ]
    rows = {r[0][0]: r for r in table_rows(html, "usage-awards")}
    assert rows["115-I-12345675"][4:8] == [["使用中"], ["1,000"], ["2.5"], ["997.5"]]
    assert rows["115-I-84700087"][4] == ["使用期間已屆滿"]
    assert rows["115-I-84700087"][10] == ["尚未使用"]
    assert rows["115-I-12345675"][10][0].startswith(f"{timezone.localdate().year - 1911}年")
    today = timezone.localdate()
    month = f"{today.year - 1911}年{today.month:02d}月"  # 民國, as the page's dates
    assert table_rows(html, "usage-months") == [[[month], ["0"], ["2.5"]]]


def test_filters_by_category_and_service_state(staff, awards):
    _user, client = staff("organiser")

    training = client.get(URL, {"kind": "training"}).content.decode()
    expired = client.get(URL, {"state": "expired"}).content.decode()

    assert [r[0][0] for r in table_rows(training, "usage-awards")] == ["115-T-04595257"]
    assert [r[0][0] for r in table_rows(expired, "usage-awards")] == ["115-I-84700087"]


def test_the_csv_lists_the_awards_and_is_audited(staff, awards):
    user, client = staff("operator")

    response = client.get(URL, {"format": "csv", "kind": "inference"})
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()

    assert response["Content-Disposition"].startswith('attachment; filename="usage-115-')
    assert lines[0].startswith("申請編號,統一編號,企業名稱,申請類別,級距")
    assert len(lines) == 3
    assert any(
        line.startswith("115-I-12345675,12345675,") and ",2.5,997.5," in line for line in lines
    )
    entry = AuditEntry.objects.get(action="grants.usage_exported")
    assert (entry.actor, entry.data["rows"], entry.data["kind"]) == (user, 2, "inference")


def test_reviewers_and_companies_have_no_access(staff, awards, client):
    _user, reviewer = staff("reviewer")

    assert reviewer.get(URL).status_code == 403
    assert client.get(URL).status_code == 302  # to the staff login


def test_the_page_costs_the_same_queries_for_three_times_the_awards(staff, call_115):
    _user, client = staff("operator")
    for i, ubn in enumerate(["12345675", "04595257", "84700087"]):
        use(make_award(call_115, ubn, CategoryKind.INFERENCE), 100_000, f"a{i}")
    few, _response, _text = measure(client, URL)
    for i, ubn in enumerate(
        ["52880483", "48552728", "75888073", "96865468", "22099131", "53212539"]
    ):
        use(make_award(call_115, ubn, CategoryKind.INFERENCE), 100_000, f"b{i}")

    many, _response, text = measure(client, URL)

    assert len(table_rows(text, "usage-awards")) == 9
    assert len(many) == len(few)


def test_points_used_at_2330_taipei_count_in_that_month_and_day(staff, call_115):
    # 23:30 on 31 October in Taipei is 15:30 UTC; 00:00 on 1 November is 16:00 UTC the 31st.
    from aipower.grants.views import daily_usage

    award = make_award(
        call_115,
        "12345675",
        CategoryKind.INFERENCE,
        starts_on=datetime.date(2026, 10, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    late_october = services.open_allowance(award)
    model = award.allowed_models.first()
    for tokens, request_id, at in (
        (250_000, "r1", datetime.datetime(2026, 10, 31, 15, 30, tzinfo=datetime.UTC)),
        (500_000, "r2", datetime.datetime(2026, 10, 31, 16, 0, tzinfo=datetime.UTC)),
    ):
        reservation = services.reserve(late_october.pk, tokens, request_id, now=at)
        services.settle(reservation, tokens, f"gw:{request_id}", model, now=at)
    _user, client = staff("operator")

    html = client.get(URL).content.decode()
    days = dict(daily_usage(late_october, today=datetime.date(2026, 11, 2)))

    assert table_rows(html, "usage-months") == [
        [["115年10月"], ["0"], ["2.5"]],
        [["115年11月"], ["0"], ["5"]],
    ]
    client.cookies["django_language"] = "en"
    english = client.get(URL).content.decode()
    assert [row[0] for row in table_rows(english, "usage-months")] == [["2026-10"], ["2026-11"]]
    assert (days[datetime.date(2026, 10, 31)], days[datetime.date(2026, 11, 1)]) == (
        250_000,
        500_000,
    )
