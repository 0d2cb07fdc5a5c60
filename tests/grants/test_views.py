"""The company's usage pages: its own figures only, the daily chart, use per model, CSV."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from aipower.calls.enums import CategoryKind
from aipower.core.roc import format_roc_date
from aipower.grants import services

from .conftest import make_award

pytestmark = pytest.mark.integration


@pytest.fixture
def used_allowance(inference_award):
    allowance = services.open_allowance(inference_award)
    first, second = inference_award.allowed_models.order_by("display_name")[:2]
    services.settle(services.reserve(allowance.pk, 200_000, "r1"), 150_000, "gw:r1", first)
    services.settle(services.reserve(allowance.pk, 9000, "r2"), 1500, "gw:r2", second)
    services.settle(services.reserve(allowance.pk, 9000, "r3"), 1500, "gw:r3", second)
    return allowance


def test_overview_requires_a_company_login(client, db):
    response = client.get(reverse("grants:overview"))

    assert response.status_code == 302
    assert "/login" in response["Location"] or "next=" in response["Location"]


def test_overview_shows_points_granted_used_left(used_allowance, company_client):
    client = company_client(used_allowance.company)

    response = client.get(reverse("grants:overview"))

    html = response.content.decode()
    assert response.status_code == 200
    s = response.context["summaries"][0]
    assert (s["granted"], s["used"], s["left"]) == ("1,000", "1.53", "998.47")
    assert s["days_left"] == (used_allowance.ends_on - used_allowance.starts_on).days + 1 - 10
    assert "核發點數" in html and "剩餘天數" in html
    assert reverse("grants:detail", args=[used_allowance.pk]) in html


def test_overview_lists_only_the_companys_own_allowances(used_allowance, call_115, company_client):
    other = services.open_allowance(make_award(call_115, "10458575", CategoryKind.TRAINING))
    client = company_client(other.company)

    response = client.get(reverse("grants:overview"))

    assert [s["allowance"].pk for s in response.context["summaries"]] == [other.pk]


def test_detail_of_another_company_is_404(used_allowance, call_115, company_client):
    other = services.open_allowance(make_award(call_115, "10458575", CategoryKind.TRAINING))
    client = company_client(other.company)

    detail = client.get(reverse("grants:detail", args=[used_allowance.pk]))
    download = client.get(reverse("grants:csv", args=[used_allowance.pk]))

    assert (detail.status_code, download.status_code) == (404, 404)


def test_detail_shows_chart_and_use_per_model(used_allowance, company_client):
    client = company_client(used_allowance.company)

    response = client.get(reverse("grants:detail", args=[used_allowance.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    chart = response.context["chart"]
    assert chart["has_usage"] is True
    assert len(chart["bars"]) == 11  # the period's first 10 days and today
    assert chart["bars"][-1]["points"] == "1.53"
    assert chart["bars"][-1]["height"] == 166.0
    assert html.count('class="usage-bar"') == 11
    assert "<script" not in html.split("</head>")[1]
    assert 'style="' not in html
    models = response.context["models"]
    assert [(m["requests"], m["tokens"], m["points"]) for m in models] == [
        (1, "150,000", "1.5"),
        (2, "3,000", "0.03"),
    ]


def test_detail_of_training_lists_jobs(call_115, company_client):
    from aipower.grants import gpu

    award = make_award(
        call_115, "04595257", CategoryKind.TRAINING,
        starts_on=datetime.date(2026, 11, 1), ends_on=datetime.date(2027, 1, 30),
    )  # fmt: skip
    allowance = services.open_allowance(award)
    record = gpu.record_from_json(
        {
            "job_id": "77",
            "account": allowance.account,
            "gpus": 2,
            "start": "2026-11-20T09:00:00+08:00",
            "end": "2026-11-20T12:00:00+08:00",
        },
        "taiwania",
    )
    gpu.record_job(record)
    client = company_client(allowance.company)

    response = client.get(reverse("grants:detail", args=[allowance.pk]))

    assert response.status_code == 200
    (row,) = response.context["jobs"]
    assert (row["job"].job_id, row["hours"], row["points"]) == ("77", "6", "12")
    assert response.context["used_natural"] == "6"


def test_csv_lists_the_ledger_with_points(used_allowance, company_client):
    client = company_client(used_allowance.company)

    response = client.get(reverse("grants:csv", args=[used_allowance.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="usage-12345675-{used_allowance.pk}.csv"'
    )
    assert response.streaming  # written as it goes, never held whole
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "時間",
        "類型",
        "來源",
        "模型",
        "實際用量（Token 數）",
        "計量單位數（Token 數）",
        "點數",
        "使用時間",
    ]
    assert [row[1:-1] for row in rows[1:]] == [
        ["核發", f"grant:{used_allowance.award_id}", "", "0", "100000000", "1000"],
        ["使用", "gw:r1", "Llama-3.1-FFM-8B-Lora", "150000", "-150000", "-1.5"],
        ["使用", "gw:r2", "Llama-3.1-TAIDELX-8B-Lora", "1500", "-2000", "-0.02"],
        ["使用", "gw:r3", "Llama-3.1-TAIDELX-8B-Lora", "1500", "-1000", "-0.01"],
    ]
    # A request is used when it is charged: its use time is the row's time; a grant has none.
    assert [row[-1] for row in rows[1:]] == ["", rows[2][0], rows[3][0], rows[4][0]]


def test_applicant_dashboard_links_the_usage_page(used_allowance, company_client):
    client = company_client(used_allowance.company)

    response = client.get(reverse("applications:dashboard"))

    assert response.status_code == 200
    assert f'href="{reverse("grants:overview")}"' in response.content.decode()


def test_applicant_dashboard_says_whether_the_service_is_running_or_over(call_115, company_client):
    from aipower.grants import services

    running = make_award(call_115, "10458575", CategoryKind.INFERENCE)
    services.open_allowance(running)
    today = timezone.localdate()
    over = make_award(
        call_115,
        "04595257",
        CategoryKind.TRAINING,
        starts_on=today - datetime.timedelta(days=100),
        ends_on=today - datetime.timedelta(days=9),
    )
    services.open_allowance(over)

    running_page = company_client(running.company).get(reverse("applications:dashboard"))
    over_page = company_client(over.company).get(reverse("applications:dashboard"))

    state = f'id="service-state-{running.application_id}">使用中</strong>'
    assert state in running_page.content.decode()
    state = f'id="service-state-{over.application_id}">使用期間已屆滿</strong>'
    assert state in over_page.content.decode()


def test_applicant_dashboard_without_award_has_no_usage_link(call_115, company_client):
    award = make_award(call_115, "10458575", CategoryKind.INFERENCE)
    client = company_client(award.company)

    response = client.get(reverse("applications:dashboard"))

    assert response.status_code == 200
    assert f'href="{reverse("grants:overview")}"' not in response.content.decode()


def test_overview_and_detail_headings_in_english_use_english_punctuation(
    used_allowance, company_client
):
    client = company_client(used_allowance.company)
    client.cookies["django_language"] = "en"
    period = f"{used_allowance.starts_on.isoformat()}–{used_allowance.ends_on.isoformat()}"

    overview = client.get(reverse("grants:overview")).content.decode()
    detail = client.get(reverse("grants:detail", args=[used_allowance.pk])).content.decode()

    assert f"<h2>Model inference ({period})</h2>" in overview
    assert f"<h1>Model inference ({period})</h1>" in detail


def test_overview_heading_in_chinese_keeps_the_roc_period(used_allowance, company_client):
    client = company_client(used_allowance.company)
    start, end = (format_roc_date(d) for d in (used_allowance.starts_on, used_allowance.ends_on))

    overview = client.get(reverse("grants:overview")).content.decode()

    assert f"<h2>模型推論類（{start}－{end}）</h2>" in overview


def test_chart_bar_titles_separate_day_and_points_in_the_active_language(
    used_allowance, company_client
):
    client = company_client(used_allowance.company)
    chinese = client.get(reverse("grants:detail", args=[used_allowance.pk])).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(reverse("grants:detail", args=[used_allowance.pk])).content.decode()

    today = timezone.localdate()
    assert f"<title>{today.isoformat()}: 1.53</title>" in english
    assert f"<title>{format_roc_date(today)}：1.53</title>" in chinese


def test_overview_shows_a_period_not_started_yet_as_such(call_115, company_client):
    start = timezone.localdate() + datetime.timedelta(days=5)
    award = make_award(call_115, "10458575", CategoryKind.INFERENCE, starts_on=start)
    allowance = services.open_allowance(award)

    html = company_client(allowance.company).get(reverse("grants:overview")).content.decode()

    assert 'class="badge usage-state-pending">使用期間尚未開始<' in html
    assert "使用中" not in html


def test_overview_shows_a_period_over_before_the_housekeeping_records_it(call_115, company_client):
    start = timezone.localdate() - datetime.timedelta(days=40)
    award = make_award(
        call_115, "10458575", CategoryKind.INFERENCE, starts_on=start,
        ends_on=start + datetime.timedelta(days=30),
    )  # fmt: skip
    allowance = services.open_allowance(award)

    html = company_client(allowance.company).get(reverse("grants:overview")).content.decode()

    assert 'class="badge usage-state-expired">使用期間已屆滿<' in html
    assert "使用中" not in html


def test_service_state_follows_the_day_the_points_and_the_sanction(inference_award):
    allowance = services.open_allowance(inference_award)
    starts, ends = allowance.starts_on, allowance.ends_on
    day = datetime.timedelta(days=1)

    states = [
        services.service_state(allowance, starts - day),
        services.service_state(allowance, starts),
        services.service_state(allowance, ends + day),
    ]
    allowance.used_units = allowance.granted_units
    states.append(services.service_state(allowance, starts))
    allowance.state = "suspended"
    states.append(services.service_state(allowance, starts))

    assert states == ["pending", "active", "expired", "exhausted", "suspended"]


def test_usage_page_says_how_tokens_are_rounded_by_the_calls_policy(used_allowance, company_client):
    client = company_client(used_allowance.company)
    url = reverse("grants:detail", args=[used_allowance.pk])

    running = client.get(url).content.decode()
    call = used_allowance.award.category.call
    call.token_rounding = "per_request"
    call.save(update_fields=["token_rounding"])
    per_request = client.get(url).content.decode()

    assert "累計用量無條件進位至 1,000 個 Token 扣點" in running
    assert "每次請求無條件進位至 1,000 個 Token 扣點" in per_request


def test_usage_page_of_training_says_gpu_time_is_metered(training_award, company_client):
    allowance = services.open_allowance(training_award)

    html = company_client(allowance.company).get(reverse("grants:overview")).content.decode()

    assert "依作業之 GPU 數 × 執行時間（秒）計量扣點。" in html


def test_training_gpu_hours_used_and_left_add_up_to_the_grant(training_award):
    from aipower.grants.views import summary

    allowance = services.open_allowance(training_award)
    services.charge_usage(allowance, 180, "slurm:c:1:180")  # 0.05 GPU-hour
    allowance.refresh_from_db()

    figures = summary(allowance)

    assert (figures["used"], figures["left"]) == ("0.1", "999.9")
    assert (figures["used_natural"], figures["left_natural"]) == ("0.1", "499.9")


def test_training_jobs_show_the_points_taken_and_a_pending_job_not_running(
    call_115, company_client
):
    """After the balance ran out, the job list showed points for the whole job (more than the
    balance held); a job not started yet read 執行中 (running)."""
    from aipower.grants import gpu

    award = make_award(
        call_115, "04595257", CategoryKind.TRAINING,
        starts_on=datetime.date(2026, 11, 1), ends_on=datetime.date(2027, 1, 30),
    )  # fmt: skip
    allowance = services.open_allowance(award)
    services.adjust(allowance, -(allowance.granted_units - 3_600), "測試額度", None)
    for job_id, start, end in (
        ("78", "2026-11-20T09:00:00+08:00", "2026-11-20T12:00:00+08:00"),
        ("79", None, None),
    ):
        gpu.record_job(
            gpu.record_from_json(
                {"job_id": job_id, "account": allowance.account, "gpus": 2,
                 "start": start, "end": end, "state": "PENDING" if start is None else "COMPLETED"},
                "taiwania",
            )
        )  # fmt: skip
    client = company_client(allowance.company)

    response = client.get(reverse("grants:detail", args=[allowance.pk]))

    rows = {row["job"].job_id: row for row in response.context["jobs"]}
    assert (rows["78"]["hours"], rows["78"]["points"]) == ("6", "2")
    body = response.content.decode()
    pending_row = body[body.index("taiwania:79") :].split("</tr>")[0]
    assert "執行中" not in pending_row


@pytest.mark.parametrize(
    ("used", "granted", "shown"),
    [
        (0, 1000, "0"),
        (1, 1000, "<1"),
        (9, 1000, "<1"),
        (10, 1000, "1"),
        (999, 1000, "99"),
        (1000, 1000, "100"),
        (5, 0, "100"),
    ],
)
def test_the_share_used_reads_less_than_one_percent_once_anything_was_used(used, granted, shown):
    """2.5 of 1,000 points read 「已使用 0%」, as if nothing had been used."""
    from aipower.grants.models import Allowance

    assert Allowance(granted_units=granted, used_units=used).used_percent_text == shown


def test_the_usage_meter_says_less_than_one_percent_for_a_small_use(used_allowance, company_client):
    html = company_client(used_allowance.company).get(reverse("grants:overview")).content.decode()

    used_allowance.refresh_from_db()
    assert used_allowance.used_percent == 0 and used_allowance.used_units > 0
    assert 'aria-valuetext="已使用 &lt;1%"' in html


def test_usage_csv_writes_a_gpu_jobs_points_to_six_decimal_places(call_115, company_client):
    from aipower.grants import gpu

    award = make_award(
        call_115, "04595257", CategoryKind.TRAINING,
        starts_on=datetime.date(2026, 11, 1), ends_on=datetime.date(2027, 1, 30),
    )  # fmt: skip
    allowance = services.open_allowance(award)
    job = {"job_id": "9002", "account": "aip115-04595257", "gpus": 2,
           "start": "2026-11-20T08:30:00+08:00", "end": "2026-11-20T09:18:11+08:00",
           "state": "COMPLETED"}  # fmt: skip
    gpu.record_job(gpu.record_from_json(job, "taiwania"), gpu.parse_time(job["end"]))

    response = company_client(award.company).get(reverse("grants:csv", args=[allowance.pk]))

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    # 2 GPUs × 2,891 s = 5,782 GPU-seconds = 3.2122… points (1,800 GPU-seconds a point).
    assert [row[4:7] for row in rows if row[1] == "使用"] == [["5782", "-5782", "-3.212222"]]


def test_overview_leads_back_to_the_application_status(used_allowance, company_client):
    response = company_client(used_allowance.company).get(reverse("grants:overview"))

    assert '<a href="/apply/dashboard/">申請案狀態</a> › 算力點數使用情形</nav>' in (
        response.content.decode()
    )
