"""What the staff review pages show and keep: errors next to their fields with what was typed
kept (400), a start date before today refused, the batches awaiting approval, the batch's stage
and count on the index, English labels, one tier label, the staff wording of the pre-check,
wrapped tables, a readable audit log and the questions before irreversible actions."""

import datetime
import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from aipower.accounts.models import Company
from aipower.applications.enums import ApplicationState as S
from aipower.calls.models import Tier
from aipower.compliance.models import WatchEntry
from aipower.core.i18n import chinese_numeral
from aipower.core.models import AuditEntry
from aipower.core.templatetags.roc import roc_date
from aipower.registry.services import import_demo_registry
from aipower.review import exports, services
from aipower.review.models import Award, BatchReview, Budget
from aipower.review.templatetags.review_tags import audit_rows
from tests.registry.test_eligibility import NO_LISTS, RULES, Industry, evaluate, record

from .conftest import refresh, verified_client
from .helpers import assign_and_declare, make_eligible, score_uniformly

pytestmark = pytest.mark.integration


@pytest.fixture
def staged(app_a, operator, organiser, reviewers):
    """app_a scored by one reviewer (minimum one) and staged as approved at L2."""
    Budget.objects.create(
        category=app_a.call.categories.get(kind=app_a.category), points=100000, minimum_reviewers=1
    )
    make_eligible(app_a, operator)
    (assignment,) = assign_and_declare(app_a, reviewers[:1], operator)
    score_uniformly(assignment, reviewers[0], 80)
    services.stage_decision(
        app_a, operator, outcome="approved", tier=Tier.objects.get(call=app_a.call, code="L2")
    )
    return refresh(app_a)


def field_row(html, name):
    """The form row (``_field.html``) holding the input named ``name`` (up to the next row or
    the end of its form)."""
    for chunk in html.split('<div class="form-row')[1:]:
        row = chunk.split("</form>")[0]
        if f'name="{name}"' in row:
            return row
    raise AssertionError(f"no form row for {name}")


def english(client):
    client.cookies["django_language"] = "en"
    return client


# --- 1. the award's start date ------------------------------------------------------------


def test_the_operators_start_before_today_is_refused_next_to_the_field(staged, operator, organiser):
    services.freeze_batch(staged.batch, operator)
    client = verified_client(operator)

    response = client.post(
        reverse("review:batch_award_start", args=[staged.batch_id]), {"starts_on": "2020-01-01"}
    )

    assert response.status_code == 400
    row = field_row(response.content.decode(), "starts_on")
    assert "has-error" in row
    assert "使用期間起日不得早於今日" in row
    assert 'value="2020-01-01"' in row
    assert BatchReview.objects.get(batch=staged.batch).award_starts_on is None


def test_only_the_operator_sets_the_start(staged, operator, organiser):
    services.freeze_batch(staged.batch, operator)
    later = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()

    response = verified_client(organiser).post(
        reverse("review:batch_award_start", args=[staged.batch_id]), {"starts_on": later}
    )

    assert response.status_code == 403
    assert BatchReview.objects.get(batch=staged.batch).award_starts_on is None


def test_the_organiser_sees_the_operators_start_and_the_approval_uses_it(
    staged, operator, organiser
):
    services.freeze_batch(staged.batch, operator)
    later = timezone.localdate() + datetime.timedelta(days=3)
    verified_client(operator).post(
        reverse("review:batch_award_start", args=[staged.batch_id]),
        {"starts_on": later.isoformat()},
    )
    client = verified_client(organiser)

    page = client.get(reverse("review:meeting", args=[staged.batch_id])).content.decode()
    approved = client.post(reverse("review:batch_approve", args=[staged.batch_id]), {})

    assert f"{roc_date(later)}（由執行單位設定）" in page
    assert 'name="starts_on"' not in page  # the organiser confirms, the operator sets
    assert approved.status_code == 302
    award = Award.objects.get()
    assert (award.starts_on, award.ends_on) == (
        later,
        services.period_end(later, 3),
    )
    entry = AuditEntry.objects.get(action="review.award_start_set")
    assert (entry.actor, entry.data["starts_on"]) == (operator, later.isoformat())


def test_an_operators_start_that_has_passed_refuses_the_approval(staged, operator, organiser):
    services.freeze_batch(staged.batch, operator)
    BatchReview.objects.filter(batch=staged.batch).update(
        award_starts_on=timezone.localdate() - datetime.timedelta(days=1)
    )

    response = verified_client(organiser).post(
        reverse("review:batch_approve", args=[staged.batch_id]), {}
    )

    assert response.status_code == 400
    assert re.search(
        r'id="approve-errors">.*使用期間起日不得早於今日', response.content.decode(), re.S
    )
    assert Award.objects.count() == 0


def test_the_start_cannot_change_after_the_approval(staged, operator, organiser):
    services.freeze_batch(staged.batch, operator)
    services.approve_batch(staged.batch, organiser)

    with pytest.raises(services.ReviewError) as refused:
        services.set_award_start(staged.batch, timezone.localdate(), operator)

    assert str(refused.value) == "此梯次名單已核定"


def test_approve_refusal_from_the_service_is_shown_next_to_the_form(staged, organiser):
    client = verified_client(organiser)

    response = client.post(reverse("review:batch_approve", args=[staged.batch_id]), {})

    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(r'id="approve-errors">.*此梯次尚未凍結', html, re.S)


def test_approve_batch_service_refuses_a_start_before_today(staged, operator, organiser):
    services.freeze_batch(staged.batch, operator)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    with pytest.raises(services.ReviewError) as refused:
        services.approve_batch(staged.batch, organiser, starts_on=yesterday)

    assert str(refused.value) == "使用期間起日不得早於今日"
    assert Award.objects.count() == 0


def test_create_award_refuses_a_start_before_today(staged, organiser):
    with pytest.raises(services.ReviewError):
        services.create_award(
            staged, staged.review_decision, organiser, starts_on=datetime.date(2020, 1, 1)
        )

    assert Award.objects.count() == 0


def test_approve_accepts_today_as_start(staged, operator, organiser):
    services.freeze_batch(staged.batch, operator)
    today = timezone.localdate()

    response = verified_client(organiser).post(
        reverse("review:batch_approve", args=[staged.batch_id]), {}
    )

    assert response.status_code == 302
    assert Award.objects.get().starts_on == today  # no day set by the operator: publication day


# --- 2. errors keep what was typed --------------------------------------------------------


def test_supplement_without_reason_and_past_deadline_keeps_everything_typed(app_a, operator):
    client = verified_client(operator)

    response = client.post(
        reverse("review:application_eligibility", args=[app_a.pk]),
        {
            "outcome": "supplement",
            "reason": "",
            "steps": ["training-2"],
            "deadline": "2020-01-01T09:00",
        },
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "請填寫理由" in field_row(html, "reason")
    deadline = field_row(html, "deadline")
    assert "補件期限須晚於現在" in deadline
    assert 'value="2020-01-01T09:00"' in deadline
    assert re.search(r'value="supplement"[^>]*checked', field_row(html, "outcome"))
    assert re.search(r'value="training-2"[^>]*checked', field_row(html, "steps"))
    assert refresh(app_a).state == S.SUBMITTED


def test_supplement_with_reason_keeps_the_reason_when_steps_are_missing(app_a, operator):
    client = verified_client(operator)

    response = client.post(
        reverse("review:application_eligibility", args=[app_a.pk]),
        {"outcome": "supplement", "reason": "請補充資料集說明", "deadline": "2099-01-01T09:00"},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "請補充資料集說明</textarea>" in field_row(html, "reason")
    assert "請選擇需補正之頁面" in field_row(html, "steps")


def test_eligibility_errors_in_english(app_a, operator):
    client = english(verified_client(operator))

    response = client.post(
        reverse("review:application_eligibility", args=[app_a.pk]), {"outcome": "ineligible"}
    )

    assert response.status_code == 400
    row = field_row(response.content.decode(), "reason")
    assert "Please give a reason" in row
    assert "Reason or what to supplement" in row


def test_decision_without_tier_keeps_the_choice_in_its_row(staged, operator, app_b):
    """The meeting's 核定通過 without 級別: 400, the error in that row, the choice kept."""
    staged_decision = staged.review_decision
    staged_decision.delete()
    client = verified_client(operator)
    prefix = f"d{staged.pk}"

    response = client.post(
        reverse("review:application_decision", args=[staged.pk]),
        {f"{prefix}-outcome": "approved", f"{prefix}-reasons": "具潛力"},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "核定通過須選擇級別" in field_row(html, f"{prefix}-tier")
    assert re.search(r'value="approved"[^>]*checked', field_row(html, f"{prefix}-outcome"))
    assert "具潛力</textarea>" in field_row(html, f"{prefix}-reasons")


def test_declared_conflict_without_reason_is_shown_next_to_the_field(app_a, operator, reviewers):
    make_eligible(app_a, operator)
    assignment = services.assign_reviewer(app_a, reviewers[0], operator)
    client = verified_client(reviewers[0])

    response = client.post(
        reverse("review:assignment", args=[assignment.pk]), {"conflict": "declared", "reason": ""}
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "請填寫迴避理由" in field_row(html, "reason")
    assert re.search(r'value="declared"[^>]*checked', field_row(html, "conflict"))


# --- 3. what waits for the organiser ------------------------------------------------------


def test_batches_awaiting_approval_lists_a_frozen_batch_with_every_decision_staged(
    staged, operator, organiser
):
    assert services.batches_awaiting_approval() == []  # not frozen yet
    services.freeze_batch(staged.batch, operator)

    assert services.batches_awaiting_approval() == [(staged.batch, 1)]

    html = verified_client(organiser).get(reverse("review:index")).content.decode()
    assert "1 件審查會議決議待核定。" in html
    assert re.search(rf'<tr id="batch-{staged.batch_id}">.*?待核定 1 件</a>', html, re.S)


def test_batches_awaiting_approval_skip_a_batch_with_undecided_applications(
    staged, app_b, operator
):
    services.freeze_batch(staged.batch, operator)

    assert services.batches_awaiting_approval() == []


def test_open_assignments_are_the_reviewers_unsubmitted_ones(app_a, app_b, operator, reviewers):
    for app in (app_a, app_b):
        make_eligible(app, operator)
    (done,) = assign_and_declare(app_a, reviewers[:1], operator)
    score_uniformly(done, reviewers[0], 80)
    (todo,) = assign_and_declare(app_b, reviewers[:1], operator)

    assert list(services.open_assignments(reviewers[0])) == [todo]
    assert list(services.open_assignments(reviewers[1])) == []
    html = verified_client(reviewers[0]).get(reverse("review:mine")).content.decode()
    assert '<p class="notice notice-warning" id="open-assignments">1 件待評分。</p>' in html


# --- 4. the index's stage and count -------------------------------------------------------


def test_index_shows_cutoff_passed_after_the_effective_cutoff(app_a, operator):
    batch = app_a.batch
    batch.cutoff_at = timezone.now() - datetime.timedelta(hours=1)
    batch.save()

    html = verified_client(operator).get(reverse("review:index")).content.decode()

    row = re.search(rf'<tr id="batch-{batch.pk}">.*?</tr>', html, re.S).group(0)
    assert re.search(r'class="batch-status"><span class="badge">收件截止</span>', row)


def test_index_shows_frozen_and_counts_as_the_batch_page(app_a, app_b, operator):
    make_eligible(app_a, operator)  # app_b stays 已送出
    client = verified_client(operator)

    index = client.get(reverse("review:index")).content.decode()
    batch_page = client.get(reverse("review:batch", args=[app_a.batch_id])).content.decode()

    row = re.search(rf'<tr id="batch-{app_a.batch_id}">.*?</tr>', index, re.S).group(0)
    shown = len(re.findall(r'href="/staff/review/application/\d+/"', batch_page))
    assert shown == 2
    assert f'<td class="batch-total">{shown}</td>' in row
    services.freeze_batch(app_a.batch, operator)
    index = client.get(reverse("review:index")).content.decode()
    row = re.search(rf'<tr id="batch-{app_a.batch_id}">.*?</tr>', index, re.S).group(0)
    assert '<span class="badge">已凍結</span>' in row


def move_batch(batch, days):
    """Review ``days`` from today (negative: in the past), the cut-off the day before."""
    batch.review_date = timezone.localdate() + datetime.timedelta(days=days)
    batch.cutoff_at = timezone.now() + datetime.timedelta(days=days - 1)
    batch.save()


def test_index_lists_every_batch_of_a_category_the_idle_ones_greyed(open_call, operator):
    batches = list(open_call.categories.get(kind="inference").batches.order_by("number"))
    # Batches 1 to 3 are past their cut-off and received nothing; 4 to 6 lie ahead.
    for days, batch in zip((-90, -60, -30, 10, 20, 30), batches, strict=True):
        move_batch(batch, days)

    html = verified_client(operator).get(reverse("review:index")).content.decode()

    rows = {
        batch.number: re.search(rf'<tr id="batch-{batch.pk}"[^>]*>.*?</tr>', html, re.S).group(0)
        for batch in batches
    }
    positions = [html.index(f'<tr id="batch-{batch.pk}"') for batch in batches]
    assert positions == sorted(positions)
    for number in (1, 2, 3):
        assert rows[number].startswith(
            f'<tr id="batch-{batches[number - 1].pk}" class="batch-idle">'
        )
        assert (
            '<span class="badge">收件截止</span> <span class="badge batch-empty">無申請案</span>'
            in (rows[number])
        )
    assert rows[4].startswith(f'<tr id="batch-{batches[3].pk}">')
    assert '<span class="badge">收件中</span>' in rows[4]
    assert "無申請案" not in rows[4]
    for number in (5, 6):
        assert rows[number].startswith(
            f'<tr id="batch-{batches[number - 1].pk}" class="batch-idle">'
        )
        assert '<span class="badge">尚未開始收件</span>' in rows[number]
        assert "無申請案" not in rows[number]


def test_index_shows_every_batch_not_yet_taking_applications_before_the_call_opens(
    open_call, operator
):
    open_call.opens_at = timezone.now() + datetime.timedelta(days=1)
    open_call.save()
    for category in open_call.categories.all():
        for batch in category.batches.all():
            move_batch(batch, 2 + batch.number)

    html = verified_client(operator).get(reverse("review:index")).content.decode()

    assert html.count('<tr id="batch-') == 9
    assert html.count('<span class="badge">尚未開始收件</span>') == 9
    assert html.count('class="batch-idle"') == 9
    assert "收件中" not in html


def test_index_in_english_names_idle_batches(open_call, operator):
    batch = open_call.categories.get(kind="inference").batches.get(number=1)
    batch.cutoff_at = timezone.now() - datetime.timedelta(days=1)
    batch.save()

    html = english(verified_client(operator)).get(reverse("review:index")).content.decode()

    assert '<span class="badge batch-empty">No applications</span>' in html
    assert '<span class="badge">Not yet taking applications</span>' in html
    assert '<span class="badge">Closed</span>' in html  # the status, not the column's date
    assert "<h1>Review batches</h1>" in html


def test_index_queries_do_not_grow_with_the_number_of_batches(app_a, operator, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.applications.two_calls import seed_next_call

    client = verified_client(operator)
    client.get(reverse("review:index"))  # the first request may write the session
    with CaptureQueriesContext(connection) as one_call:
        first = client.get(reverse("review:index"))
    seed_next_call(monkeypatch, is_open=True)  # a second call: as many batches again
    with CaptureQueriesContext(connection) as two_calls:
        second = client.get(reverse("review:index"))

    assert first.status_code == second.status_code == 200
    assert second.content.decode().count('<tr id="batch-') > first.content.decode().count(
        '<tr id="batch-'
    )
    assert len(two_calls.captured_queries) == len(one_call.captured_queries)


# --- 5 and 6. English and the tier label --------------------------------------------------


def test_scoring_form_in_english_uses_the_criteria_english_names(app_a, operator, reviewers):
    make_eligible(app_a, operator)
    (assignment,) = assign_and_declare(app_a, reviewers[:1], operator)
    client = english(verified_client(reviewers[0]))

    html = client.get(reverse("review:assignment", args=[assignment.pk])).content.decode()

    assert "Project importance (30%)" in html
    assert "Comment on Project importance" in html
    assert "專案重要性" not in re.search(r"<form.*?</form>", html, re.S).group(0)
    assert "L1 (1,000)" in html


def test_batch_name_in_english(app_a, operator):
    client = english(verified_client(operator))

    html = client.get(reverse("review:batch", args=[app_a.batch_id])).content.decode()

    number = app_a.batch.number
    assert f"<h1>2026 Model training, batch {number}</h1>" in html
    assert "第" not in re.search(r"<title>.*?</title>", html, re.S).group(0)


def test_batch_name_in_chinese(app_a, operator):
    html = (
        verified_client(operator)
        .get(reverse("review:batch", args=[app_a.batch_id]))
        .content.decode()
    )

    assert f"<h1>115 模型訓練類 第{chinese_numeral(app_a.batch.number)}梯次</h1>" in html


def test_print_page_shows_the_form_title_in_english(app_a, operator):
    client = english(verified_client(operator))

    html = client.get(reverse("review:application_print", args=[app_a.pk])).content.decode()

    assert (
        f"<h1>Compute platform application, ROC year {app_a.call.year} (Model training)"
        f" {app_a.number}</h1>"
    ) in html


def test_meeting_uses_the_same_tier_label_as_the_scoring_form(staged, operator):
    html = (
        verified_client(operator)
        .get(reverse("review:meeting", args=[staged.batch_id]))
        .content.decode()
    )

    assert ">L2（2,000）</option>" in html
    assert "L2 (2000)" not in html
    assert "L2（2,000）" in re.search(r'<p class="decision">.*?</p>', html, re.S).group(0)


def test_tier_label_in_english_has_english_punctuation(staged, operator):
    client = english(verified_client(operator))

    html = client.get(reverse("review:meeting", args=[staged.batch_id])).content.decode()

    assert ">L2 (2,000)</option>" in html
    assert "L2（2,000）" not in html


# --- 7. the staff's pre-check ---------------------------------------------------------------


def test_staff_application_page_has_staff_wording_and_no_duplicate(app_a, operator):
    import_demo_registry()
    Company.objects.filter(pk=app_a.company_id).update(ubn="84700087")

    html = (
        verified_client(operator)
        .get(reverse("review:application", args=[app_a.pk]))
        .content.decode()
    )

    assert "自動檢核：符合申請資格" in html
    assert "我要申請" not in html
    assert "貴公司" not in html
    assert "請洽申請客服信箱" not in html
    assert html.count("符合之登記營業項目") == 1
    assert html.count("具新創優先資格") == 1


def test_a_branch_has_no_startup_priority(app_a, operator):
    import_demo_registry()
    Company.objects.filter(pk=app_a.company_id).update(ubn="75888073")  # 台中分公司, founded 108

    html = (
        verified_client(operator)
        .get(reverse("review:application", args=[app_a.pk]))
        .content.decode()
    )

    assert services.startup_priority(refresh(app_a)).status == "no"
    assert "具新創優先資格" not in html
    assert '<dd id="startup-priority-fact" data-status="no">否' in html


# --- 9. wide pages ----------------------------------------------------------------------------


def test_every_review_table_is_wrapped(staged, operator, reviewers):
    services.freeze_batch(staged.batch, operator)
    client = verified_client(operator)
    pages = [
        reverse("review:index"),
        reverse("review:batch", args=[staged.batch_id]),
        reverse("review:meeting", args=[staged.batch_id]),
        reverse("review:application", args=[staged.pk]),
        reverse("review:application_print", args=[staged.pk]),
        reverse("review:audit"),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        tables = html.count("<table")
        wrapped = len(re.findall(r'<div class="table-wrap">\s*<table', html))
        assert (url, wrapped) == (url, tables)
    mine = verified_client(reviewers[0]).get(reverse("review:mine")).content.decode()
    assert mine.count("<table") == len(re.findall(r'<div class="table-wrap">\s*<table', mine))


def test_audit_page_shows_data_as_readable_rows(staged, operator):
    html = (
        verified_client(operator)
        .get(reverse("review:audit"), {"action": "review.decision_staged"})
        .content.decode()
    )

    assert "{&#x27;" not in html and "{'" not in html
    assert f"<dt>number</dt><dd>{staged.number}</dd>" in html
    assert "<dt>tier</dt><dd>L2</dd>" in html
    assert "記錄審查會議決議<br>" in html


# --- 10. irreversible actions ask first --------------------------------------------------------


def test_irreversible_forms_carry_their_question(staged, app_b, operator, organiser):
    operator_client = verified_client(operator)
    batch = operator_client.get(reverse("review:batch", args=[staged.batch_id])).content.decode()
    assert re.search(r'data-confirm="確定凍結本梯次？[^"]*列入下一梯次', batch)
    application = operator_client.get(
        reverse("review:application", args=[app_b.pk])
    ).content.decode()
    assert 'data-confirm-ineligible="確定判定此申請案資格不符？' in application
    assert "review/eligibility.js" in application
    services.freeze_batch(staged.batch, operator)
    meeting = (
        verified_client(organiser)
        .get(reverse("review:meeting", args=[staged.batch_id]))
        .content.decode()
    )
    assert 'data-confirm="確定核定名單並公告？' in meeting


def test_question_in_english(app_a, operator):
    html = (
        english(verified_client(operator))
        .get(reverse("review:batch", args=[app_a.batch_id]))
        .content.decode()
    )

    assert 'data-confirm="Freeze this batch?' in html


# --- English punctuation where pieces are glued together --------------------------------------


def _reviewers_cell(html):
    return re.search(r"<td>(rev1[^<]*)</td>", html).group(1)


def test_batch_page_in_english_lists_reviewers_with_english_punctuation(app_a, operator, reviewers):
    make_eligible(app_a, operator)
    first, _second, _third = assign_and_declare(app_a, reviewers, operator, conflicts=reviewers[2:])
    score_uniformly(first, reviewers[0], 80)
    client = english(verified_client(operator))

    html = client.get(reverse("review:batch", args=[app_a.batch_id])).content.decode()

    assert _reviewers_cell(html) == "rev1 (Submitted), rev2 (Pending), rev3 (Recused)"


def test_batch_page_in_chinese_lists_reviewers_with_full_width_punctuation(
    app_a, operator, reviewers
):
    make_eligible(app_a, operator)
    first, _second, _third = assign_and_declare(app_a, reviewers, operator, conflicts=reviewers[2:])
    score_uniformly(first, reviewers[0], 80)

    html = (
        verified_client(operator)
        .get(reverse("review:batch", args=[app_a.batch_id]))
        .content.decode()
    )

    assert _reviewers_cell(html) == "rev1（已送出）、rev2（未完成）、rev3（迴避）"


def test_print_page_in_english_writes_the_company_with_english_parentheses(app_a, operator):
    client = english(verified_client(operator))

    html = client.get(reverse("review:application_print", args=[app_a.pk])).content.decode()

    assert '<p class="lead"><span lang="zh-Hant">甲智能股份有限公司</span> (04595257)</p>' in html
    assert "<p>Submitted at: " in html


def test_print_page_in_chinese_writes_the_company_with_full_width_parentheses(app_a, operator):
    html = (
        verified_client(operator)
        .get(reverse("review:application_print", args=[app_a.pk]))
        .content.decode()
    )

    assert '<p class="lead">甲智能股份有限公司（04595257）</p>' in html
    assert "<p>送出時間：" in html


def test_audit_rows_join_with_the_active_languages_punctuation():
    data = {"changes": {"a": 1, "b": [1, 2]}, "tiers": ["L1", "L2"]}

    with translation.override("en"):
        english = audit_rows(data)
    with translation.override("zh-hant"):
        chinese = audit_rows(data)

    assert english == [("changes", "a: 1; b: 1, 2"), ("tiers", "L1, L2")]
    assert chinese == [("changes", "a: 1；b: 1、2"), ("tiers", "L1、L2")]


def test_ranking_export_joins_suggested_tiers_in_the_active_language(app_a, operator, reviewers):
    make_eligible(app_a, operator)
    first, second, _third = assign_and_declare(app_a, reviewers, operator)
    score_uniformly(first, reviewers[0], 80, tier="L1")
    score_uniformly(second, reviewers[1], 70, tier="L2")

    with translation.override("en"):
        english_header, english_rows = exports.ranking_table(app_a.batch)
    with translation.override("zh-hant"):
        chinese_header, chinese_rows = exports.ranking_table(app_a.batch)

    english = dict(zip(english_header, english_rows[0], strict=True))
    chinese = dict(zip(chinese_header, chinese_rows[0], strict=True))
    assert english["Suggested tier"] in ("L1, L2", "L2, L1")
    assert chinese["建議級別"] in ("L1、L2", "L2、L1")


def test_declare_page_writes_the_company_with_the_languages_parentheses(app_a, operator, reviewers):
    make_eligible(app_a, operator)
    assignment = services.assign_reviewer(app_a, reviewers[0], operator)
    client = verified_client(reviewers[0])
    url = reverse("review:assignment", args=[assignment.pk])

    chinese = client.get(url).content.decode()
    english_html = english(client).get(url).content.decode()

    assert f'<p class="lead">{app_a.number} 甲智能股份有限公司（04595257）</p>' in chinese
    name = '<span lang="zh-Hant">甲智能股份有限公司</span>'
    assert f'<p class="lead">{app_a.number} {name} (04595257)</p>' in english_html


def test_application_page_writes_watch_list_entries_with_the_languages_parentheses(app_a, operator):
    entry = WatchEntry.objects.create(
        company=app_a.company, reason="模型未上架", added_at=timezone.now()
    )
    client = verified_client(operator)
    url = reverse("review:application", args=[app_a.pk])

    chinese = client.get(url).content.decode()
    english_html = english(client).get(url).content.decode()

    with translation.override("zh-hant"):
        zh_date = roc_date(entry.added_at)
    with translation.override("en"):
        en_date = roc_date(entry.added_at)
    assert f"<li>模型未上架（{zh_date}）</li>" in chinese
    assert f"<li>模型未上架 ({en_date})</li>" in english_html


def test_meeting_writes_the_reason_for_a_change_with_the_languages_punctuation(staged, organiser):
    services.override_points(staged.review_decision, organiser, points=1500, reason="預算調整")
    client = verified_client(organiser)
    url = reverse("review:meeting", args=[staged.batch_id])

    chinese = client.get(url).content.decode()
    english_html = english(client).get(url).content.decode()

    assert "（調整理由：預算調整）</p>" in chinese
    assert " (reason for the change: 預算調整)</p>" in english_html


def test_staff_verdict_lists_matched_industries_with_the_languages_separator():
    industries = (Industry("620211", "系統整合"), Industry("582011", "遊戲軟體出版"))
    verdict = evaluate(record(industries=industries), NO_LISTS, None, RULES)
    context = {"verdict": verdict, "startup_priority": False}

    with translation.override("zh-hant"):
        chinese = render_to_string("review/_verdict_staff.html", context)
    with translation.override("en"):
        english_html = render_to_string("review/_verdict_staff.html", context)

    assert "<dd>620211 系統整合、582011 遊戲軟體出版</dd>" in chinese
    zh = '<span lang="zh-Hant">'
    assert f"<dd>620211 {zh}系統整合</span>, 582011 {zh}遊戲軟體出版</span></dd>" in english_html


def test_print_page_separates_the_version_by_each_languages_separator(app_a, operator):
    url = reverse("review:application_print", args=[app_a.pk])
    zh_response = verified_client(operator).get(url)
    number = zh_response.context["version"].number

    en_html = english(verified_client(operator)).get(url).content.decode()

    assert f"　第 {number} 版</p>" in zh_response.content.decode()
    assert f" · Version {number}</p>" in en_html
    assert "　" not in en_html


def test_a_start_sent_from_a_page_left_open_after_the_approval_is_refused_on_top(
    staged, operator, organiser
):
    services.freeze_batch(staged.batch, operator)
    services.approve_batch(staged.batch, organiser)
    later = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()

    response = verified_client(operator).post(
        reverse("review:batch_award_start", args=[staged.batch_id]),
        {"starts_on": later},
        follow=True,
    )

    assert response.redirect_chain == [(reverse("review:meeting", args=[staged.batch_id]), 302)]
    assert [str(m) for m in response.context["messages"]] == ["此梯次名單已核定"]
    assert BatchReview.objects.get(batch=staged.batch).award_starts_on is None
