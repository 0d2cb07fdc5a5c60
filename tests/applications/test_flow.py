"""Integration tests of the wizard's steps and the business operations (services)."""

import datetime
import hashlib
import json

import pytest
from django.core import mail
from django.utils import timezone

from aipower.applications import flow, services
from aipower.applications.enums import ApplicationState
from aipower.applications.models import Application, ApplicationVersion, SentMail
from aipower.calls.services import next_batch
from aipower.core.models import AuditEntry

from .conftest import (
    INFERENCE,
    PROFILE,
    TRAINING,
    fill_application,
    make_company_user,
    save_page,
)

pytestmark = pytest.mark.integration


def step_ids(app):
    return [step.identifier for step in flow.applicable_steps(app)]


def test_applicable_steps_training_lists_training_pages_only(draft, company_user):
    app = save_page(draft, company_user, "category", {"category": "training"})
    assert step_ids(app) == [
        "category",
        "terms",
        "profile",
        "declaration",
        "training-1",
        "training-2",
        "training-3",
        "training-4",
        "pledge",
        "done",
    ]


def test_applicable_steps_inference_lists_inference_pages_only(draft, company_user):
    app = save_page(draft, company_user, "category", {"category": "inference"})
    assert [i for i in step_ids(app) if "-" in i] == [
        "inference-1",
        "inference-2",
        "inference-3",
        "inference-4",
    ]


def test_save_step_draft_keeps_invalid_input_and_reports_errors(draft, company_user):
    values = {**PROFILE, "pi_phone": "12-34", "paid_in_capital": "很多", "pi_email": ""}

    app = save_page(draft, company_user, "profile", values)

    profile = app.data["profile"]
    assert profile["pi_phone"] == "12-34"
    assert profile["paid_in_capital"] == "很多"
    assert profile["contact_phone"] == "02-23456789"
    assert profile["contact_mobile"] == "0912345678"
    assert app.current_step == "profile"
    form = flow.get_step("profile").full_form(app)
    assert not form.is_valid()
    assert sorted(form.errors) == ["paid_in_capital", "pi_email", "pi_phone"]


def test_save_step_valid_page_advances_and_counts_revision(draft, company_user):
    app = save_page(draft, company_user, "category", {"category": "training"})

    assert (app.current_step, app.revision, app.category) == ("terms", 1, "training")


def test_save_step_stale_revision_refused_and_keeps_first_save(draft, company_user):
    step = flow.get_step("training-1")
    first = save_page(draft, company_user, "category", {"category": "training"})
    form = step.get_form(first, {"topic": "第一個視窗"}, draft=True)
    form.is_valid()
    services.save_step(first, step, form, revision=1, user=company_user)
    late = step.get_form(first, {"topic": "第二個視窗"}, draft=True)
    late.is_valid()

    with pytest.raises(services.StaleRevision) as info:
        services.save_step(first, step, late, revision=1, user=company_user)

    assert info.value.message == "資料已在其他視窗更新，請確認目前內容後再儲存"
    assert info.value.application.data["training"]["topic"] == "第一個視窗"
    assert Application.objects.get().revision == 2


def test_category_switch_keeps_answers_separate(draft, company_user):
    app = save_page(draft, company_user, "category", {"category": "training"})
    app = save_page(app, company_user, "training-1", TRAINING["training-1"])
    app = save_page(app, company_user, "category", {"category": "inference"})
    app = save_page(app, company_user, "inference-1", INFERENCE["inference-1"])

    app = save_page(app, company_user, "category", {"category": "training"})

    assert app.category == "training"
    assert app.data["training"]["topic"] == "高齡照護GPT"
    assert "inference_models" not in app.data["training"]
    assert app.data["inference"]["topic"] == "客服推論助理"
    assert "no_code_models" not in app.data["inference"]
    assert services.submission_snapshot(app)["answers"].keys() == {
        "terms",
        "profile",
        "declaration",
        "training",
        "pledge",
    }


def test_declaration_stores_self_declarations_with_time(draft, company_user):
    now = timezone.now()

    app = save_page(draft, company_user, "declaration", {"agreed": "on"}, now)

    declaration = app.data["declaration"]
    at = timezone.localtime(now).isoformat(timespec="seconds")
    assert declaration["agreed_at"] == at
    assert declaration["self_declarations"] == {
        "no_mainland_capital": {"answer": True, "at": at},
        "no_major_breach": {"answer": True, "at": at},
        "no_serious_violation": {"answer": True, "at": at},
    }


def test_profile_consent_records_time(draft, company_user):
    now = timezone.now()

    app = save_page(draft, company_user, "profile", PROFILE, now)

    assert app.data["profile"]["consent"] is True
    assert app.data["profile"]["consent_at"] == timezone.localtime(now).isoformat(
        timespec="seconds"
    )


def test_first_incomplete_step_of_a_complete_application_is_none(complete_training):
    assert flow.first_incomplete_step(complete_training) is None


def test_first_incomplete_step_names_the_earliest_gap(draft, company_user):
    app = save_page(draft, company_user, "category", {"category": "training"})
    app = save_page(app, company_user, "terms", {})

    assert flow.first_incomplete_step(app).identifier == "profile"


def test_exclusive_option_refused_even_in_draft(draft, company_user):
    app = save_page(draft, company_user, "category", {"category": "training"})
    values = {**TRAINING["training-1"], "validation_models": ["none", "openai/gpt-oss-20b"]}

    app = save_page(app, company_user, "training-1", values)

    assert app.current_step == "training-1"
    assert app.data["training"]["validation_models"] == ["none", "openai/gpt-oss-20b"]


def test_other_domain_requires_text_at_full_validation(draft, company_user):
    app = save_page(draft, company_user, "category", {"category": "training"})
    app = save_page(
        app, company_user, "training-1", {**TRAINING["training-1"], "domains": ["other"]}
    )

    form = flow.get_step("training-1").full_form(app)

    assert not form.is_valid()
    assert list(form.errors) == ["domains_other"]


def test_prohibited_model_is_not_a_choice(draft, company_user):
    app = save_page(draft, company_user, "category", {"category": "inference"})
    form = flow.get_step("inference-1").get_form(app)

    names = [value for value, _label in form.fields["inference_models"].choices]

    assert "DeepSeek-R1" not in names
    assert names[0] == "Llama-3.1-TAIDELX-8B-Lora"


def test_dataset_rule_blocks_missing_resolution_at_full_validation(complete_training, company_user):
    app = Application.objects.get()
    app.data["training"]["video_resolution"] = "0"

    form = flow.get_step("training-2").full_form(app)

    assert not form.is_valid()
    assert list(form.errors) == ["video_resolution"]


def test_submit_assigns_batch_number_fingerprint_and_version(complete_training, company_user):
    now = timezone.now()

    app = services.submit_application(complete_training, company_user, now)

    category = app.call.categories.get(kind="training")
    assert app.state == ApplicationState.SUBMITTED
    assert app.number == "AP115-T-0001"
    assert app.submitted_at == now
    assert app.batch == next_batch(category, now)
    canonical = json.dumps(
        services.submission_snapshot(app), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    assert app.fingerprint == hashlib.sha256(canonical.encode()).hexdigest()
    version = ApplicationVersion.objects.get(application=app)
    assert (version.number, version.fingerprint, version.created_by) == (
        1,
        app.fingerprint,
        company_user,
    )
    assert AuditEntry.objects.filter(action="application.submitted").count() == 1


def test_submit_sends_and_stores_receipt_mail(complete_training, company_user):
    now = timezone.now()

    app = services.submit_application(complete_training, company_user, now)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["pi@example.com", "contact@example.com"]
    assert message.subject == "【AI算力平台】申請已送出：AP115-T-0001"
    assert app.number in message.body
    assert app.fingerprint in message.body
    assert services.format_taipei(now) in message.body
    stored = SentMail.objects.get()
    assert (stored.to, stored.subject, stored.body, stored.application) == (
        message.to,
        message.subject,
        message.body,
        app,
    )


def test_format_taipei_uses_roc_date_and_taipei_time():
    moment = datetime.datetime(2026, 5, 1, 6, 3, 22, tzinfo=datetime.UTC)

    assert services.format_taipei(moment) == "115年05月01日 14:03:22"


def test_submit_numbers_per_category_in_order(complete_training, company_user, open_call):
    services.submit_application(complete_training, company_user)
    second_user = make_company_user("10458575", "第二家公司")
    second = fill_application(
        services.start_application(second_user.company, open_call), second_user, "training"
    )
    third_user = make_company_user("22099131", "第三家公司")
    third = fill_application(
        services.start_application(third_user.company, open_call), third_user, "inference"
    )

    second = services.submit_application(second, second_user)
    third = services.submit_application(third, third_user)

    assert (second.number, third.number) == ("AP115-T-0002", "AP115-I-0001")


def test_submit_refused_after_deadline_keeps_draft(complete_training, company_user):
    late = complete_training.call.closes_at + datetime.timedelta(seconds=1)
    data_before = Application.objects.get().data

    with pytest.raises(services.SubmissionRefused) as info:
        services.submit_application(complete_training, company_user, late)

    assert "已超過收件截止時間" in str(info.value.message)
    assert "您的草稿已保留" in str(info.value.message)
    app = Application.objects.get()
    assert (app.state, app.number, app.data) == (ApplicationState.DRAFT, None, data_before)
    assert mail.outbox == []
    assert SentMail.objects.count() == 0


def test_submit_refused_when_incomplete_names_step(draft, company_user):
    app = save_page(draft, company_user, "category", {"category": "training"})

    with pytest.raises(services.ApplicationIncomplete) as info:
        services.submit_application(app, company_user)

    assert info.value.step.identifier == "terms"
    assert Application.objects.get().state == ApplicationState.DRAFT


def test_submit_twice_refused(complete_training, company_user):
    services.submit_application(complete_training, company_user)

    with pytest.raises(services.SubmissionRefused):
        services.submit_application(complete_training, company_user)


def update(app, user, identifier, values, now=None):
    step = flow.get_step(identifier)
    form = step.get_form(app, values, draft=False)
    assert form.is_valid(), form.errors
    return services.update_after_submission(
        app, step, form, revision=app.revision, user=user, now=now
    )


def test_update_after_submission_creates_version_with_changes(complete_training, company_user):
    app = services.submit_application(complete_training, company_user)
    values = {**TRAINING["training-1"], "topic": "高齡照護GPT 2.0"}

    app, version = update(app, company_user, "training-1", values)

    assert version.number == 2
    assert version.changed_fields == ["training.topic"]
    assert version.created_by == company_user
    assert version.data["answers"]["training"]["topic"] == "高齡照護GPT 2.0"
    assert app.fingerprint == version.fingerprint
    assert ApplicationVersion.objects.get(number=1).data["answers"]["training"]["topic"] == (
        "高齡照護GPT"
    )


def test_update_after_submission_without_change_keeps_versions(complete_training, company_user):
    app = services.submit_application(complete_training, company_user)

    _app, version = update(app, company_user, "training-1", TRAINING["training-1"])

    assert version is None
    assert ApplicationVersion.objects.count() == 1


def test_update_after_submission_refused_after_cutoff(complete_training, company_user):
    app = services.submit_application(complete_training, company_user)
    after_cutoff = app.batch.cutoff_at + datetime.timedelta(seconds=1)

    with pytest.raises(services.ApplicationLocked):
        update(
            app, company_user, "training-1", {**TRAINING["training-1"], "topic": "改"}, after_cutoff
        )

    assert Application.objects.get().data["training"]["topic"] == "高齡照護GPT"


def test_category_locked_after_submission(complete_training, company_user):
    app = services.submit_application(complete_training, company_user)

    with pytest.raises(services.ApplicationLocked):
        save_page(app, company_user, "category", {"category": "inference"})
    with pytest.raises(services.ApplicationLocked):
        update(app, company_user, "category", {"category": "inference"})

    assert Application.objects.get().category == "training"


def test_submit_survives_mail_failure_and_records_it(complete_training, company_user, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # discard port: nothing listens, the connection is refused

    app = services.submit_application(complete_training, company_user)

    assert app.state == ApplicationState.SUBMITTED
    stored = SentMail.objects.get()
    assert stored.error.startswith("ConnectionRefusedError")


@pytest.mark.parametrize(
    ("contact2", "errors"),
    [
        ({}, []),
        ({"contact2_name": "李二"}, ["contact2_email", "contact2_phone"]),
        ({"contact2_mobile": "0922333444"}, ["contact2_email", "contact2_name"]),
        (
            {
                "contact2_name": "李二",
                "contact2_email": "two@example.com",
                "contact2_mobile": "0922333444",
            },
            [],
        ),
        (
            {
                "contact2_name": "李二",
                "contact2_email": "two@example.com",
                "contact2_phone": "07-3456789",
            },
            [],
        ),
    ],
)
def test_second_contact_is_all_or_nothing(draft, company_user, contact2, errors):
    app = save_page(draft, company_user, "profile", {**PROFILE, **contact2})

    form = flow.get_step("profile").full_form(app)
    form.is_valid()

    assert sorted(form.errors) == errors


def test_frozen_version_is_the_last_before_cutoff(complete_training, company_user):
    app = services.submit_application(complete_training, company_user)
    before_cutoff = app.batch.cutoff_at - datetime.timedelta(minutes=1)
    app, _v2 = update(
        app,
        company_user,
        "training-1",
        {**TRAINING["training-1"], "topic": "截止前"},
        before_cutoff,
    )
    # A version stamped after the cut-off (e.g. written by staff later) is not the frozen one.
    ApplicationVersion.objects.create(
        application=app,
        number=3,
        data={},
        fingerprint="0" * 64,
        created_at=app.batch.cutoff_at + datetime.timedelta(seconds=1),
    )

    assert services.frozen_version(app).number == 2


def test_receipt_mail_goes_to_the_second_contact_when_given(complete_training, company_user):
    profile = dict(complete_training.data["profile"])
    profile.update(
        contact2_name="吳聯絡",
        contact2_phone="02-23456789",
        contact2_email="second@example.com",
    )
    complete_training.data["profile"] = profile
    complete_training.save(update_fields=["data"])

    services.submit_application(complete_training, company_user, timezone.now())

    assert mail.outbox[0].to == ["pi@example.com", "contact@example.com", "second@example.com"]


def test_pledge_given_for_one_category_does_not_count_for_the_other(
    complete_training, company_user
):
    pledge = flow.get_step("pledge")
    assert pledge.is_complete(complete_training)

    app = save_page(complete_training, company_user, "category", {"category": "inference"})
    for identifier, values in INFERENCE.items():
        app = save_page(app, company_user, identifier, values)

    assert not pledge.is_complete(app)
    assert flow.first_incomplete_step(app).identifier == "pledge"
    with pytest.raises(services.ApplicationIncomplete):
        services.submit_application(app, company_user)


def test_last_batch_freezes_when_the_call_closes_before_its_cutoff(complete_training, company_user):
    app = services.submit_application(complete_training, company_user)
    call = app.call
    # The last batch's cut-off lies after the call's close (the seeded 115 schedule).
    app.batch.cutoff_at = call.closes_at + datetime.timedelta(days=2)
    app.batch.save(update_fields=["cutoff_at"])
    after_close = call.closes_at + datetime.timedelta(seconds=1)

    assert not services.is_frozen(app, call.closes_at)
    assert services.is_frozen(app, after_close)
    with pytest.raises(services.ApplicationLocked):
        update(
            app, company_user, "training-1", {**TRAINING["training-1"], "topic": "改"}, after_close
        )


def test_one_application_per_company_per_call(draft, open_call, company_user):
    from django.db import IntegrityError, transaction

    assert services.start_application(company_user.company, open_call) == draft
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(call=open_call, company=company_user.company)
    assert Application.objects.filter(company=company_user.company).count() == 1


LAST_SECOND = datetime.timedelta(milliseconds=600)


def test_submit_accepted_in_the_deadlines_last_second(complete_training, company_user):
    # The call closes at 23:59:59 Taipei; a request arriving at 23:59:59.600 is sent at 23:59:59.
    closes_at = complete_training.call.closes_at
    assert timezone.localtime(closes_at).time() == datetime.time(23, 59, 59)

    app = services.submit_application(complete_training, company_user, closes_at + LAST_SECOND)

    assert app.state == ApplicationState.SUBMITTED
    assert not services.is_frozen(app, closes_at + LAST_SECOND)


def test_submit_at_midnight_after_the_close_refused_with_the_deadline(
    complete_training, company_user
):
    closes_at = complete_training.call.closes_at
    midnight = closes_at + datetime.timedelta(seconds=1)
    assert timezone.localtime(midnight).time() == datetime.time(0, 0, 0)

    with pytest.raises(services.SubmissionRefused) as info:
        services.submit_application(complete_training, company_user, midnight)

    assert services.format_taipei(closes_at) in str(info.value.message)
    assert services.format_taipei(closes_at).endswith(" 23:59:59")


def test_submission_in_a_batch_cutoffs_last_second_joins_that_batch(open_call):
    category = open_call.categories.get(kind="training")
    first = category.batches.order_by("cutoff_at").first()

    assert next_batch(category, first.cutoff_at + LAST_SECOND) == first
    assert category.next_batch(first.cutoff_at + LAST_SECOND) == first
    assert next_batch(category, first.cutoff_at + datetime.timedelta(seconds=1)) != first


def test_application_sent_in_a_cutoffs_last_second_is_the_version_reviewed(
    complete_training, company_user
):
    category = complete_training.call.categories.get(kind="training")
    first = category.batches.order_by("cutoff_at").first()
    sent_at = first.cutoff_at + LAST_SECOND

    app = services.submit_application(complete_training, company_user, sent_at)

    assert app.batch == first
    assert services.frozen_version(app).number == 1
