"""The outbox: mails are stored as queued, sent after commit by the task, retried by the sweep.

The mail server that fails is Django's SMTP backend pointed at a loopback port nothing listens
on (a server that is down); the one that works is the test settings' locmem backend.
"""

import datetime
import re
import socket

import pytest
from django.core import mail as sent_box
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from aipower.accounts.models import User
from aipower.applications import mailbox, outbox
from aipower.applications.models import SentMail
from aipower.applications.services import send_mail_stored, submit_application
from aipower.applications.tasks import deliver_mail
from tests.conftest import verified_client

pytestmark = pytest.mark.integration

Status = SentMail.Status
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


def closed_loopback_port():
    """A loopback port nothing listens on: an SMTP server that is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_down(settings, db):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = closed_loopback_port()
    settings.EMAIL_TIMEOUT = 2
    return settings


@pytest.fixture
def no_worker(settings, db):
    """A task queue whose worker does not run (django-tasks' dummy backend keeps the task)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def queue(subject="補件通知", to=("pi@example.com",), **kwargs):
    return send_mail_stored(to=list(to), subject=subject, body="請於期限內補件。", **kwargs)


def test_send_mail_stored_in_a_rolled_back_transaction_sends_and_stores_nothing(db):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue()
        raise RuntimeError("the operation failed after writing its mail")

    assert sent_box.outbox == []
    assert not SentMail.objects.exists()


def test_send_mail_stored_sends_only_after_commit_and_exactly_once(db):
    with transaction.atomic():
        stored = queue()
        assert sent_box.outbox == []
        assert SentMail.objects.get().status == Status.QUEUED

    assert [(m.subject, m.to) for m in sent_box.outbox] == [("補件通知", ["pi@example.com"])]
    stored = SentMail.objects.get()
    assert (stored.status, stored.attempts, stored.error) == (Status.SENT, 1, "")
    assert stored.sent_at is not None
    assert stored.next_attempt_at is None


def test_send_mail_stored_returns_the_outcome_when_the_task_ran_at_once(db):
    stored = queue()

    assert stored.status == Status.SENT  # the immediate backend: the caller sees the outcome


def test_delivering_the_same_mail_twice_sends_it_once(db):
    stored = queue()

    assert outbox.deliver(stored.pk) is None
    deliver_mail.enqueue(stored.pk)

    assert len(sent_box.outbox) == 1
    assert SentMail.objects.get().attempts == 1


def test_smtp_failure_keeps_the_error_and_the_sweep_sends_it_later(smtp_down):
    now = timezone.now()

    stored = queue(now=now)

    assert stored.status == Status.FAILED
    assert stored.error.startswith("ConnectionRefusedError")
    assert stored.attempts == 1
    assert stored.next_attempt_at > now
    assert mailbox.unresolved_failures() == 1
    assert outbox.send_due(now=stored.next_attempt_at - datetime.timedelta(seconds=1)) == {
        "sent": 0,
        "failed": 0,
    }

    smtp_down.EMAIL_BACKEND = LOCMEM  # the mail server is back
    assert outbox.send_due(now=stored.next_attempt_at) == {"sent": 1, "failed": 0}

    stored.refresh_from_db()
    assert (stored.status, stored.attempts, stored.error) == (Status.SENT, 2, "")
    assert [m.subject for m in sent_box.outbox] == ["補件通知"]
    assert mailbox.unresolved_failures() == 0


def test_a_mail_that_keeps_failing_stops_after_the_last_attempt(smtp_down):
    stored = queue()

    attempts = [stored.attempts]
    while stored.next_attempt_at is not None:
        outbox.send_due(now=stored.next_attempt_at)
        stored.refresh_from_db()
        attempts.append(stored.attempts)

    assert attempts == [1, 2, 3, 4, 5]
    assert outbox.MAX_ATTEMPTS == 5
    assert stored.status == Status.FAILED
    assert outbox.send_due(now=timezone.now() + datetime.timedelta(days=30)) == {
        "sent": 0,
        "failed": 0,
    }
    assert mailbox.unresolved_failures() == 1


def test_the_operators_resend_stops_the_originals_retries(smtp_down):
    operator = User.objects.create_user(username="op", password="x", role="operator")
    original = queue()
    smtp_down.EMAIL_BACKEND = LOCMEM

    again = mailbox.resend(original, by=operator)
    outbox.send_due(now=timezone.now() + datetime.timedelta(days=1))

    original.refresh_from_db()
    assert again.status == Status.SENT
    assert (original.status, original.attempts, original.next_attempt_at) == (
        Status.FAILED,
        1,
        None,
    )
    assert len(sent_box.outbox) == 1
    assert mailbox.unresolved_failures() == 0


def test_a_queued_mail_the_worker_never_sent_is_sent_by_the_sweep(no_worker, db):
    stored = queue()

    assert SentMail.objects.get().status == Status.QUEUED
    assert mailbox.unresolved_failures() == 0
    assert outbox.send_due() == {"sent": 0, "failed": 0}  # the worker still has time

    later = stored.queued_at + outbox.QUEUE_GRACE
    assert outbox.send_due(now=later) == {"sent": 1, "failed": 0}
    assert SentMail.objects.get().status == Status.SENT
    assert len(sent_box.outbox) == 1


def test_an_attempt_that_never_finished_is_tried_again_after_its_claim(no_worker, db):
    stored = queue()
    # A worker claimed the mail and died before recording the outcome.
    SentMail.objects.filter(pk=stored.pk).update(
        status=Status.SENDING, attempts=1, next_attempt_at=timezone.now()
    )

    assert outbox.deliver(stored.pk, now=timezone.now() - datetime.timedelta(minutes=1)) is None
    assert outbox.send_due() == {"sent": 1, "failed": 0}
    assert SentMail.objects.get().attempts == 2


def test_erased_addresses_are_not_mailed(db):
    queue(to=["pi@example.com", "erased@personal-data.invalid"])

    assert sent_box.outbox[0].to == ["pi@example.com"]


def test_send_due_mails_command_sends_what_is_due(no_worker, db, capsys):
    stored = queue()
    SentMail.objects.filter(pk=stored.pk).update(next_attempt_at=timezone.now())

    call_command("send_due_mails")

    assert capsys.readouterr().out.strip() == "sent 1, failed 0"
    assert SentMail.objects.get().status == Status.SENT


def row_result(html, mail):
    """The text of the mail log's 寄送結果 cell for ``mail``."""
    row = re.search(rf'<tr id="mail-{mail.pk}">.*?<td class="mail-result">(.*?)</td>', html, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", row.group(1)).split())


def test_mail_log_shows_queued_failed_and_sent(settings, db):
    immediate = settings.TASKS
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    queued = queue(subject="待寄之信")
    settings.TASKS = immediate
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_loopback_port()
    failed = queue(subject="寄送失敗之信")
    settings.EMAIL_BACKEND = LOCMEM
    sent = queue(subject="已寄之信")
    client = verified_client(User.objects.create_user(username="op", password="x", role="operator"))

    html = client.get(reverse("mail_staff:index")).content.decode()
    detail = client.get(reverse("mail_staff:detail", args=[queued.pk])).content.decode()

    assert row_result(html, queued) == "待寄送"
    assert row_result(html, failed).startswith("寄送失敗 將於 ")
    assert row_result(html, failed).endswith(" 自動重試")
    assert row_result(html, sent) == "已寄出"
    assert "寄送失敗（1）" in html
    assert 'id="mail-sent-at">—</td>' in detail
    assert 'id="mail-attempts">0</td>' in detail


def test_staff_home_flags_failing_mails_but_not_queued_ones(settings, db):
    client = verified_client(User.objects.create_user(username="op", password="x", role="operator"))
    immediate = settings.TASKS
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    queue(subject="待寄之信")

    quiet = client.get(reverse("staff:home")).content.decode()
    settings.TASKS = immediate
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_loopback_port()
    queue(subject="寄送失敗之信")
    flagged = client.get(reverse("staff:home")).content.decode()

    assert 'id="failed-mails"' not in quiet
    assert 'id="retrying-mails"' not in quiet
    # A first failure: the sweep will try again, the operator need not resend yet.
    assert 'id="failed-mails"' not in flagged
    assert "1 封通知郵件暫時無法寄出，系統將自動重試。" in flagged


def test_a_submission_rolled_back_after_its_receipt_sends_no_receipt(
    complete_training, company_user
):
    with pytest.raises(RuntimeError), transaction.atomic():
        submit_application(complete_training, company_user)
        raise RuntimeError("a later step of the same transaction failed")

    assert sent_box.outbox == []
    assert not SentMail.objects.exists()


def test_a_submission_sends_its_receipt_once_committed(complete_training, company_user):
    app = submit_application(complete_training, company_user)

    assert len(sent_box.outbox) == 1
    receipt = SentMail.objects.get()
    assert (receipt.application, receipt.status) == (app, Status.SENT)
    assert sent_box.outbox[0].subject == receipt.subject
