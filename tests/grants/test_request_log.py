"""The API request log on the company's usage page: the latest requests with their ids on the
page, all of them as CSV, the company's own inference award only, and never any content."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from aipower.calls.enums import CategoryKind
from aipower.gateway.models import MeteredRequest
from aipower.grants import services

from .conftest import make_award

pytestmark = pytest.mark.integration

LABELS = ["請求編號", "開始時間", "模型", "端點", "串流", "輸入 tokens", "輸出 tokens", "結果"]
STARTED = datetime.datetime(2026, 11, 20, 1, 2, 3, tzinfo=datetime.UTC)  # 09:02:03 in Taipei


def metered(award, number, *, endpoint="chat", stream=False, outcome="ok", minutes=0):
    return MeteredRequest.objects.create(
        request_id=f"req-{number:032x}",
        award=award,
        model=award.allowed_models.order_by("order").first(),
        endpoint=endpoint,
        stream=stream,
        prompt_tokens=11 * number,
        completion_tokens=7 * number,
        reserved_tokens=1000,
        outcome=outcome,
        started_at=STARTED + datetime.timedelta(minutes=minutes),
        finished_at=STARTED + datetime.timedelta(minutes=minutes, seconds=1),
    )


@pytest.fixture
def allowance(inference_award):
    return services.open_allowance(inference_award)


@pytest.fixture
def three_requests(allowance):
    award = allowance.award
    metered(award, 1, minutes=0)
    metered(award, 2, endpoint="embeddings", minutes=1)
    metered(award, 3, stream=True, outcome="upstream_error", minutes=2)
    return allowance


def rows_of(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_usage_page_lists_recent_requests_with_their_ids(three_requests, company_client):
    client = company_client(three_requests.company)

    response = client.get(reverse("grants:detail", args=[three_requests.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "最近的 API 請求" in html
    for label in LABELS:
        assert f'<th scope="col">{label}</th>' in html
    ids = [f"req-{n:032x}" for n in (3, 2, 1)]  # newest first
    positions = [html.index(f"<code>{request_id}</code>") for request_id in ids]
    assert positions == sorted(positions)
    assert "<code>/v1/embeddings</code>" in html
    assert "上游錯誤" in html
    assert reverse("grants:requests-csv", args=[three_requests.pk]) in html
    assert 'style="' not in html


def test_usage_page_shows_the_latest_hundred_requests_only(allowance, company_client):
    for number in range(1, 102):
        metered(allowance.award, number, minutes=number)
    client = company_client(allowance.company)

    html = client.get(reverse("grants:detail", args=[allowance.pk])).content.decode()

    assert html.count("<code>req-") == 100
    assert f"<code>req-{1:032x}</code>" not in html
    assert f"<code>req-{101:032x}</code>" in html


def test_usage_page_without_requests_says_so(allowance, company_client):
    client = company_client(allowance.company)

    html = client.get(reverse("grants:detail", args=[allowance.pk])).content.decode()

    assert "尚無 API 請求。" in html


def test_training_usage_page_has_no_request_log(training_award, company_client):
    allowance = services.open_allowance(training_award)
    client = company_client(allowance.company)

    html = client.get(reverse("grants:detail", args=[allowance.pk])).content.decode()

    assert "最近的 API 請求" not in html


def test_requests_csv_lists_every_request(three_requests, company_client):
    model = three_requests.award.allowed_models.order_by("order").first()
    public_id = model.upstream_id or model.display_name
    client = company_client(three_requests.company)

    response = client.get(reverse("grants:requests-csv", args=[three_requests.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="requests-12345675-{three_requests.pk}.csv"'
    )
    assert rows_of(response) == [
        LABELS,
        [f"req-{3:032x}", "2026-11-20 09:04:03", public_id, "/v1/chat/completions", "是",
         "33", "21", "上游錯誤"],
        [f"req-{2:032x}", "2026-11-20 09:03:03", public_id, "/v1/embeddings", "否",
         "22", "14", "完成"],
        [f"req-{1:032x}", "2026-11-20 09:02:03", public_id, "/v1/chat/completions", "否",
         "11", "7", "完成"],
    ]  # fmt: skip


def test_requests_csv_in_english(three_requests, company_client):
    client = company_client(three_requests.company)
    client.cookies["django_language"] = "en"

    rows = rows_of(client.get(reverse("grants:requests-csv", args=[three_requests.pk])))

    assert rows[0][0] != "請求編號"
    assert all(not any("\u4e00" <= ch <= "\u9fff" for ch in "".join(row)) for row in rows)
    assert rows[1][4] == "Yes"


def test_requests_csv_has_every_request_beyond_the_page(allowance, company_client):
    for number in range(1, 131):
        metered(allowance.award, number, minutes=number)
    client = company_client(allowance.company)

    rows = rows_of(client.get(reverse("grants:requests-csv", args=[allowance.pk])))

    assert len(rows) == 1 + 130


def test_requests_of_another_company_are_404(three_requests, call_115, company_client):
    other = services.open_allowance(make_award(call_115, "10458575", CategoryKind.INFERENCE))
    metered(other.award, 9)
    client = company_client(other.company)

    download = client.get(reverse("grants:requests-csv", args=[three_requests.pk]))
    page = client.get(reverse("grants:detail", args=[other.pk])).content.decode()

    assert download.status_code == 404
    assert f"req-{9:032x}" in page
    assert f"req-{1:032x}" not in page


def test_requests_csv_of_a_training_allowance_is_404(training_award, company_client):
    allowance = services.open_allowance(training_award)
    client = company_client(allowance.company)

    response = client.get(reverse("grants:requests-csv", args=[allowance.pk]))

    assert response.status_code == 404


def test_requests_csv_requires_a_company_login(three_requests, client):
    response = client.get(reverse("grants:requests-csv", args=[three_requests.pk]))

    assert response.status_code == 302
    assert "req-" not in response.content.decode()
