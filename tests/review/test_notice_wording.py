"""The review's mails say what the programme document says: subjects start with the platform's
one name (not the call's title), the supplement names the pages to correct, 不予受理 is said
once (and said for an ineligible application), the reviewers' reminder names the batch and
the review meeting's date."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone, translation

from aipower.applications import flow
from aipower.applications.enums import ApplicationState as S
from aipower.applications.models import SentMail
from aipower.core.roc import format_roc_date
from aipower.review import services
from aipower.review.models import ReviewerProfile

from .helpers import assign_and_declare, make_eligible, score_uniformly

pytestmark = pytest.mark.integration


def latest_mail(app):
    return SentMail.objects.filter(application=app).latest("id")


def test_ineligible_mail_starts_with_the_platform_name_and_says_not_accepted(
    app_a, operator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_eligibility(app_a, S.INELIGIBLE, operator, reason="非屬符合資格之行業")

    sent = latest_mail(app_a)
    assert sent.subject == f"【AI算力平台】申請案 {app_a.number} 資格審查結果"
    assert app_a.call.title_zh not in sent.subject
    assert "不符合申請資格，依規定不予受理，理由如下：\n\n非屬符合資格之行業" in sent.body


def test_supplement_mail_lists_the_pages_to_correct(
    app_a, operator, django_capture_on_commit_callbacks
):
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        services.request_supplement(
            app_a,
            operator,
            message="請補充訓練資料集說明",
            deadline=now + datetime.timedelta(days=7),
            steps=["profile", "training-2"],
            now=now,
        )

    sent = latest_mail(app_a)
    titles = "、".join(str(flow.get_step(step).title) for step in ("profile", "training-2"))
    assert sent.subject.startswith("【AI算力平台】申請案 ")
    assert f"請補充訓練資料集說明\n\n需補正之頁面：{titles}\n\n" in sent.body
    assert "training-2" not in sent.body


def test_not_accepted_mail_gives_its_reason_once(
    app_a, operator, django_capture_on_commit_callbacks
):
    now = timezone.now()
    services.request_supplement(
        app_a,
        operator,
        message="請補充訓練資料集說明",
        deadline=now + datetime.timedelta(days=1),
        steps=["training-2"],
        now=now,
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.expire_supplements(now + datetime.timedelta(days=2))

    sent = latest_mail(app_a)
    assert sent.subject == f"【AI算力平台】申請案 {app_a.number} 不予受理"
    assert sent.body.count("不予受理") == 1
    assert "逾補件期限未補正" not in sent.body


def test_reviewer_reminder_names_the_batch_and_the_meeting_date(
    app_a, operator, reviewers, django_capture_on_commit_callbacks
):
    make_eligible(app_a, operator)
    first, _second, _third = assign_and_declare(app_a, reviewers, operator)
    score_uniformly(first, reviewers[0], 80)
    batch = app_a.batch
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.remind_reviewers(batch, operator)

    reminders = [m for m in mail.outbox if "審查評分提醒" in m.subject]
    assert sorted(m.to[0] for m in reminders) == ["rev2@example.org", "rev3@example.org"]
    label = services.batch_label(batch)  # 「115 模型訓練類 第二梯次」 (the test's zh-Hant)
    assert label.endswith("梯次")
    for reminder in reminders:
        assert reminder.subject == "【AI算力平台】審查評分提醒"
        assert f"您於{label}尚有 1 件審查案件未送出評分" in reminder.body
        assert f"請於審查會議（{format_roc_date(batch.review_date)}）前完成" in reminder.body


def test_ineligible_mail_names_the_service_line_in_zh_hant_whatever_the_operators_language(
    app_a, operator, django_capture_on_commit_callbacks
):
    call = app_a.call
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.decide_eligibility(app_a, S.INELIGIBLE, operator, reason="非屬符合資格之行業")

    assert (
        f"如有疑問，請洽申請客服信箱 {call.service_email} 或申請諮詢專線 {call.service_phone_zh}。"
    ) in latest_mail(app_a).body


def test_a_reviewer_the_system_flags_is_not_asked_to_review(
    app_a, operator, reviewers, django_capture_on_commit_callbacks
):
    ReviewerProfile.objects.create(user=reviewers[0], affiliations=app_a.company.ubn)
    make_eligible(app_a, operator)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        flagged = services.assign_reviewer(app_a, reviewers[0], operator)
        services.assign_reviewer(app_a, reviewers[1], operator)

    assert flagged.conflict_flag  # the page tells this reviewer 您無須審查此案
    assert [m.to for m in mail.outbox if "審查案件指派通知" in m.subject] == [["rev2@example.org"]]
