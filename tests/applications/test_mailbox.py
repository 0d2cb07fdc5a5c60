"""The mail log's rules: which mails count as failed, sending one again and to whom."""

import socket

import pytest
from django.core import mail as outbox

from aipower.accounts.models import Company, User
from aipower.applications import mailbox
from aipower.applications.models import Application
from aipower.applications.services import ApplicationError, send_mail_stored
from aipower.core.models import AuditEntry
from aipower.privacy.enums import Kind, Person, State
from aipower.privacy.models import DataRequest

pytestmark = pytest.mark.integration


def closed_loopback_port():
    """A loopback port nothing listens on: an SMTP server that is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_down(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = closed_loopback_port()
    settings.EMAIL_TIMEOUT = 2


@pytest.fixture
def application(call_115):
    company = Company.objects.create(ubn="04595257", name="示範智能股份有限公司")
    return Application.objects.create(
        call=call_115, company=company, category="inference", number="AP115-I-0042"
    )


@pytest.fixture
def operator(db):
    return User.objects.create_user(username="operator", password="x", role="operator")


def failed_mail(settings, application, to=("pi@example.com",)):
    backend = settings.EMAIL_BACKEND
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = closed_loopback_port()
    try:
        return send_mail_stored(
            to=list(to), subject="補件通知", body="請於期限內補件。", application=application
        )
    finally:
        settings.EMAIL_BACKEND = backend


def test_send_mail_stored_keeps_the_smtp_failure(smtp_down, application):
    sent = send_mail_stored(to=["pi@example.com"], subject="s", body="b", application=application)

    assert sent.error.startswith("ConnectionRefusedError")
    assert mailbox.unresolved_failures() == 1


def test_resend_delivers_the_same_mail_and_links_it(settings, application, operator):
    original = failed_mail(settings, application)

    again = mailbox.resend(original, by=operator)

    assert again.error == ""
    assert again.resent_from == original
    assert (again.subject, again.body, again.to) == (
        "補件通知",
        "請於期限內補件。",
        ["pi@example.com"],
    )
    assert [m.subject for m in outbox.outbox] == ["補件通知"]
    assert outbox.outbox[0].to == ["pi@example.com"]
    original.refresh_from_db()
    assert original.error.startswith("ConnectionRefusedError")  # kept as it was
    assert mailbox.unresolved_failures() == 0
    entry = AuditEntry.objects.get(action="mail.resend")
    assert entry.actor == operator
    assert entry.data == {"original": original.pk, "recipients": 1}


def test_a_failed_resend_leaves_the_failure_unresolved(settings, smtp_down, application, operator):
    original = send_mail_stored(to=["pi@example.com"], subject="s", body="b")

    again = mailbox.resend(original, by=operator)

    assert again.error
    assert mailbox.unresolved_failures() == 2
    assert [m.pk for m in mailbox.mails(failed_only=True)] == [again.pk, original.pk]


def test_resend_skips_erased_and_withheld_addresses(settings, application, operator):
    DataRequest.objects.create(
        company=application.company,
        kind=Kind.STOP,
        person=Person.CONTACT,
        requester_name="陳聯絡",
        requester_email="Contact@Example.com",
        state=State.COMPLETED,
    )
    original = failed_mail(
        settings,
        application,
        to=["pi@example.com", "contact@example.com", "erased@personal-data.invalid"],
    )

    assert mailbox.resend_recipients(original) == ["pi@example.com"]
    mailbox.resend(original, by=operator)
    assert outbox.outbox[0].to == ["pi@example.com"]


def test_resend_without_any_recipient_left_is_refused(settings, application, operator):
    original = failed_mail(settings, application, to=["erased@personal-data.invalid"])

    with pytest.raises(ApplicationError) as refused:
        mailbox.resend(original, by=operator)

    assert "無可寄送之收件者" in str(refused.value.message)
    assert outbox.outbox == []
    assert original.resends.count() == 0


def test_mails_search_by_subject_recipient_and_number(settings, application):
    receipt = send_mail_stored(
        to=["pi@example.com"], subject="收件確認", body="b", application=application
    )
    other = send_mail_stored(to=["someone@example.org"], subject="審查指派", body="b")

    assert list(mailbox.mails(search="收件")) == [receipt]
    assert list(mailbox.mails(search="EXAMPLE.ORG")) == [other]
    assert list(mailbox.mails(search="ap115-i-0042")) == [receipt]
    assert set(mailbox.mails()) == {receipt, other}


def test_for_applicant_leaves_out_the_staffs_own_mails(application, operator):
    User.objects.create_user(
        username="rev", password="x", role="reviewer", email="Reviewer@Example.org"
    )
    receipt = send_mail_stored(
        to=["pi@example.com"], subject="收件確認", body="b", application=application
    )
    send_mail_stored(
        to=["reviewer@example.org"], subject="審查指派", body="b", application=application
    )
    copy = send_mail_stored(
        to=["pi@example.com", "reviewer@example.org"],
        subject="副本",
        body="b",
        application=application,
    )

    assert mailbox.for_applicant(application) == [copy, receipt]


def test_a_reviewers_mail_stays_hidden_after_their_address_or_account_changes(
    application, operator
):
    """Recognising the staff's mails by their addresses alone failed once the reviewer's address
    changed: their assignment mail (which names them) appeared on the applicant's dashboard."""
    from aipower.review.notifications import send_to_staff

    reviewer = User.objects.create_user(
        username="rev1", password="x", role="reviewer", email="rev1@example.org"
    )
    receipt = send_mail_stored(
        to=["pi@example.com"], subject="收件確認", body="b", application=application
    )
    assignment = send_to_staff(
        "reviewer_assigned", reviewer, {"call": "115", "number": application.number}, application
    )
    shown_before = mailbox.for_applicant(application)

    User.objects.filter(pk=reviewer.pk).update(email="rev1@elsewhere.example")
    shown_after_change = mailbox.for_applicant(application)
    User.objects.filter(pk=reviewer.pk).delete()
    shown_after_removal = mailbox.for_applicant(application)
    again = mailbox.resend(assignment, by=operator)

    assert assignment.to_staff and again.to_staff
    assert shown_before == shown_after_change == shown_after_removal == [receipt]
    assert mailbox.for_applicant(application) == [receipt]


def test_for_applicant_shows_a_mail_sent_again_once(settings, application, operator):
    original = failed_mail(settings, application)

    again = mailbox.resend(original, by=operator)

    assert mailbox.for_applicant(application) == [again]


def test_resend_pressed_again_sends_once(settings, application, operator):
    """The back button after 重新寄送 (or a second click, or two operators at once): one mail
    goes out, one audit entry, and the same resend is returned."""
    original = failed_mail(settings, application)
    first = mailbox.resend(original, by=operator)

    again = mailbox.resend(original, by=operator)

    assert again == first
    assert again.repeated
    assert len(outbox.outbox) == 1
    assert AuditEntry.objects.filter(action="mail.resend").count() == 1


def test_a_failed_resend_may_be_pressed_again(settings, smtp_down, application, operator):
    original = send_mail_stored(to=["pi@example.com"], subject="s", body="b")
    mailbox.resend(original, by=operator)

    again = mailbox.resend(original, by=operator)

    assert not again.repeated
    assert AuditEntry.objects.filter(action="mail.resend").count() == 2
