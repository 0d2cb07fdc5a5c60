"""Scheduled upkeep: end of service on exhaustion or expiry and each notice sent once."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from aipower.applications.models import SentMail
from aipower.calls.enums import CategoryKind
from aipower.core.roc import format_roc_date
from aipower.grants import housekeeping, services
from aipower.grants.models import Allowance, AllowanceState, LedgerEntry, Notice
from aipower.grants.tasks import grant_housekeeping
from aipower.grants.views import summary

from .conftest import make_award

pytestmark = pytest.mark.integration


def _use(allowance, tokens, name):
    services.settle(services.reserve(allowance.pk, tokens, name), tokens, f"gw:{name}")


def test_housekeeping_sends_80_percent_notice_once(call_115):
    allowance = services.open_allowance(
        make_award(call_115, "10458575", CategoryKind.INFERENCE, points=1)
    )
    _use(allowance, 80_000, "r1")

    first = housekeeping.run()
    second = housekeeping.run()

    assert (first.notices, second.notices) == (1, 0)
    notice = Notice.objects.get()
    assert notice.kind == Notice.Kind.USED_80
    sent = SentMail.objects.get()
    assert notice.mail == sent
    assert sent.to == ["pi@example.com", "contact@example.com"]
    assert sent.application == allowance.award.application
    assert sent.subject.startswith("【AI算力平台】算力點數已使用 80% / ")
    assert "----- English -----" in sent.body
    assert len(mail.outbox) == 1


def test_housekeeping_notice_when_used_up_copies_the_operator(call_115):
    allowance = services.open_allowance(
        make_award(call_115, "10458575", CategoryKind.INFERENCE, points=1)
    )
    _use(allowance, 100_000, "r1")

    report = housekeeping.run()

    assert report.notices == 1
    assert Notice.objects.get().kind == Notice.Kind.USED_100
    assert SentMail.objects.get().to == [
        "pi@example.com",
        "contact@example.com",
        call_115.service_email,
    ]
    assert Allowance.objects.get(pk=allowance.pk).state == AllowanceState.EXHAUSTED


def test_housekeeping_expires_at_end_of_period_once(call_115):
    today = timezone.localdate()
    award = make_award(
        call_115,
        "10458575",
        CategoryKind.INFERENCE,
        starts_on=today - datetime.timedelta(days=92),
        ends_on=today - datetime.timedelta(days=1),
    )
    allowance = services.open_allowance(award)
    services.charge_usage(allowance, 1000, "gw:late")

    first = housekeeping.run()
    second = housekeeping.run()

    row = Allowance.objects.get(pk=allowance.pk)
    assert (first.expired, second.expired) == (1, 0)
    assert row.state == AllowanceState.EXPIRED
    assert list(
        row.entries.filter(kind=LedgerEntry.Kind.EXPIRY).values_list("units", flat=True)
    ) == [-99_999_000]
    assert list(Notice.objects.values_list("kind", flat=True)) == [Notice.Kind.EXPIRED]
    assert SentMail.objects.count() == 1


def test_housekeeping_warns_before_the_end(call_115, settings):
    settings.GRANTS_EXPIRY_NOTICE_DAYS = 7
    today = timezone.localdate()
    soon = services.open_allowance(
        make_award(
            call_115,
            "10458575",
            CategoryKind.INFERENCE,
            starts_on=today - datetime.timedelta(days=85),
            ends_on=today + datetime.timedelta(days=7),
        )
    )
    services.open_allowance(
        make_award(
            call_115,
            "10458574",
            CategoryKind.INFERENCE,
            starts_on=today - datetime.timedelta(days=83),
            ends_on=today + datetime.timedelta(days=8),
        )
    )

    housekeeping.run()
    housekeeping.run()

    notice = Notice.objects.get()
    assert (notice.allowance_id, notice.kind) == (soon.pk, Notice.Kind.EXPIRY_SOON)
    # The days it can still be used, today included: the usage page's 剩餘天數 says the same.
    assert "（剩餘 8 天）" in notice.mail.body
    assert summary(soon)["days_left"] == 8


def test_housekeeping_releases_stale_reservations(inference_award):
    allowance = services.open_allowance(inference_award)
    services.reserve(allowance.pk, 5000, "stuck", ttl_seconds=1)

    report = housekeeping.run(timezone.now() + datetime.timedelta(minutes=5))

    assert report.released == 1
    assert Allowance.objects.get(pk=allowance.pk).reserved_units == 0


def test_housekeeping_sends_nothing_without_contacts(call_115):
    award = make_award(call_115, "10458575", CategoryKind.INFERENCE, points=1)
    award.application.data = {"profile": {}}
    award.application.save()
    allowance = services.open_allowance(award)
    _use(allowance, 90_000, "r1")

    housekeeping.run()

    assert Notice.objects.get().mail is None
    assert SentMail.objects.count() == 0


def test_housekeeping_task_and_command_are_idempotent(call_115):
    allowance = services.open_allowance(
        make_award(call_115, "10458575", CategoryKind.INFERENCE, points=1)
    )
    _use(allowance, 85_000, "r1")

    result = grant_housekeeping.enqueue()
    out = io.StringIO()
    call_command("run_grant_housekeeping", stdout=out)

    assert result.return_value == (
        "released 0 reservations, expired 0, exhausted 0, sent 1 notices"
    )
    assert out.getvalue() == "released 0 reservations, expired 0, exhausted 0, sent 0 notices\n"
    assert Notice.objects.count() == 1


def test_notice_mail_has_zh_hant_then_english(call_115):
    allowance = services.open_allowance(
        make_award(call_115, "10458575", CategoryKind.INFERENCE, points=1000)
    )
    _use(allowance, 80_000_000, "r1")

    housekeeping.run()

    sent = SentMail.objects.get()
    assert sent.subject == (
        "【AI算力平台】算力點數已使用 80% / [AI Compute Platform] 80% of compute points used"
    )
    zh, en = sent.body.split("\n\n----- English -----\n\n")
    assert zh.startswith("公司10458575 您好：\n\n貴公司「模型推論類」的算力點數已使用 80%。")
    ends_roc = format_roc_date(allowance.ends_on)
    assert f"核發點數：1,000\n已使用點數：800\n剩餘點數：200\n使用期間迄：{ends_roc}\n" in zh
    assert en.startswith(
        "Dear 公司10458575,\n\n"
        'Your company has used 80% of its compute points for "Model inference"'
    )
    ends_iso = allowance.ends_on.isoformat()
    assert (
        f"Points granted: 1,000\nPoints used: 800\nPoints left: 200\nPeriod ends: {ends_iso}\n"
        in en
    )


def test_housekeeping_reports_an_allowance_that_disagrees_with_its_ledger(inference_award):
    allowance = services.open_allowance(inference_award)
    Allowance.objects.filter(pk=allowance.pk).update(used_units=5000)  # not through the ledger

    report = housekeeping.run()

    assert report.mismatches == 1
    assert str(report).endswith(", 1 allowances disagree with their ledger")
