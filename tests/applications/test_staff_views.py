"""The staff's mail log pages: who may read them, the failed filter, one mail, resending."""

import re
import socket

import pytest
from django.core import mail as outbox
from django.urls import reverse

from aipower.accounts.models import User
from aipower.applications.models import SentMail
from aipower.applications.services import send_mail_stored
from aipower.core.models import AuditEntry
from tests.conftest import verified_client

pytestmark = pytest.mark.integration


def staff_client(role):
    return verified_client(User.objects.create_user(username=role, password="x", role=role))


@pytest.fixture
def failed(settings, db):
    backend = settings.EMAIL_BACKEND
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        settings.EMAIL_PORT = probe.getsockname()[1]
    sent = send_mail_stored(to=["pi@example.com"], subject="補件通知", body="請補件。\n第二行")
    settings.EMAIL_BACKEND = backend
    return sent


@pytest.fixture
def delivered(db):
    return send_mail_stored(to=["pi@example.com"], subject="收件確認", body="已收件。")


@pytest.mark.parametrize("role", ["operator", "organiser"])
def test_mail_log_lists_every_mail_with_its_result(role, failed, delivered):
    response = staff_client(role).get(reverse("mail_staff:index"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "補件通知" in html and "收件確認" in html
    assert "寄送失敗（1）" in html


def test_mail_log_failed_filter_shows_only_unresolved_failures(failed, delivered):
    response = staff_client("operator").get(reverse("mail_staff:index"), {"show": "failed"})

    assert [m.pk for m in response.context["page"]] == [failed.pk]


@pytest.mark.parametrize("role", ["reviewer", "company"])
def test_mail_log_is_refused_to_reviewers_and_companies(role, failed):
    client = staff_client(role)

    assert client.get(reverse("mail_staff:index")).status_code in (302, 403)
    assert client.get(reverse("mail_staff:detail", args=[failed.pk])).status_code in (302, 403)
    assert client.post(reverse("mail_staff:resend", args=[failed.pk])).status_code in (302, 403)
    assert SentMail.objects.count() == 1


def test_opening_a_mail_shows_it_and_is_audited(failed):
    client = staff_client("organiser")

    response = client.get(reverse("mail_staff:detail", args=[failed.pk]))

    assert response.status_code == 200
    assert "請補件。\n第二行" in response.content.decode()
    assert 'id="resend"' not in response.content.decode()  # the organiser only reads
    assert AuditEntry.objects.filter(action="mail.view", object_id=str(failed.pk)).count() == 1


def test_organiser_cannot_resend(failed):
    response = staff_client("organiser").post(reverse("mail_staff:resend", args=[failed.pk]))

    assert response.status_code == 403
    assert outbox.outbox == []


def test_operator_resends_a_failed_mail(failed):
    client = staff_client("operator")

    response = client.post(reverse("mail_staff:resend", args=[failed.pk]), follow=True)

    again = SentMail.objects.get(resent_from=failed)
    assert response.redirect_chain[-1][0] == reverse("mail_staff:detail", args=[again.pk])
    assert "郵件已重新寄送。" in response.content.decode()
    assert [m.to for m in outbox.outbox] == [["pi@example.com"]]
    listing = client.get(reverse("mail_staff:index")).content.decode()
    assert "寄送失敗，已重新寄出" in listing
    assert "寄送失敗（0）" in listing


def test_resend_needs_post(failed):
    response = staff_client("operator").get(reverse("mail_staff:resend", args=[failed.pk]))

    assert response.status_code == 405


def test_staff_home_tells_a_failure_still_retried_from_one_given_up(failed):
    client = staff_client("operator")

    retrying = client.get(reverse("staff:home")).content.decode()
    SentMail.objects.filter(pk=failed.pk).update(next_attempt_at=None)  # no attempt left
    given_up = client.get(reverse("staff:home")).content.decode()

    assert 'id="failed-mails"' not in retrying
    assert "1 封通知郵件暫時無法寄出，系統將自動重試。" in retrying
    assert 'id="failed-mails"' in given_up
    assert 'id="retrying-mails"' not in given_up
    assert "1 封通知郵件寄送失敗，請確認後重新寄送。" in given_up
    assert reverse("mail_staff:index") in given_up


def test_staff_home_asks_only_the_operator_to_resend(failed):
    SentMail.objects.filter(pk=failed.pk).update(next_attempt_at=None)  # no attempt left

    operator = staff_client("operator").get(reverse("staff:home")).content.decode()
    organiser = staff_client("organiser").get(reverse("staff:home")).content.decode()

    assert "1 封通知郵件寄送失敗，請確認後重新寄送。" in operator
    assert "寄送失敗者可重新寄送" in operator
    # The organiser reads the mail log but may not resend (rules.MAIL_SENDERS).
    assert "1 封通知郵件寄送失敗。" in organiser
    assert "重新寄送" not in organiser


def test_mail_log_in_english(failed):
    client = staff_client("operator")
    client.cookies["django_language"] = "en"

    html = client.get(reverse("mail_staff:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Mail log" in html
    assert "Failed (1)" in html


def test_reading_the_mail_log_is_audited_with_what_was_shown(failed, delivered):
    """The list shows recipients and subjects: who read which mails (and what they searched
    for) is in the audit log, as opening one is."""
    client = staff_client("organiser")

    client.get(reverse("mail_staff:index"), {"q": "補件"})

    entry = AuditEntry.objects.get(action="mail.list_viewed")
    assert entry.actor.username == "organiser"
    assert entry.data["search"] == "補件"
    assert entry.data["show"] == "all"
    assert entry.data["mails"] == [failed.pk]


def _resend_token(client, mail):
    """The one-time token of the 重新寄送 form on the mail's page (``core.once``)."""
    html = client.get(reverse("mail_staff:detail", args=[mail.pk])).content.decode()
    return re.search(r'name="once" value="([^"]+)"', html).group(1)


def test_the_same_resend_form_sent_twice_sends_one_mail(failed):
    """A second click (or the back button, another tab) sends the form with the token it was
    rendered with: one mail, one audit entry, and the second sending shows the first's mail."""
    client = staff_client("operator")
    sent = {"once": _resend_token(client, failed)}
    url = reverse("mail_staff:resend", args=[failed.pk])
    client.post(url, sent)

    again = client.post(url, sent, follow=True)

    resent = SentMail.objects.get(resent_from=failed)
    assert again.redirect_chain[-1][0] == reverse("mail_staff:detail", args=[resent.pk])
    assert "此郵件剛才已重新寄送，本次未重複寄送。" in again.content.decode()
    assert len(outbox.outbox) == 1
    assert AuditEntry.objects.filter(action="mail.resend").count() == 1


def test_two_resend_forms_sent_within_a_minute_send_two_mails(failed):
    """Pressing 重新寄送 on the page opened anew is a new resend, however soon (it used to be
    taken as the first pressed again for a minute)."""
    client = staff_client("operator")
    url = reverse("mail_staff:resend", args=[failed.pk])

    client.post(url, {"once": _resend_token(client, failed)})
    client.post(url, {"once": _resend_token(client, failed)})

    assert SentMail.objects.filter(resent_from=failed).count() == 2
    assert len(outbox.outbox) == 2


@pytest.mark.parametrize("role", ["operator", "organiser"])
def test_mail_names_its_application_with_the_way_to_its_review_page(role, open_call, company_user):
    """A failed notice is often a contact's address the company must correct: the mail's page
    leads to its application (the number alone had to be searched for), under the mail log's
    breadcrumb."""
    from aipower.applications.services import start_application, submit_application

    from .conftest import fill_application

    app = fill_application(start_application(company_user.company, open_call), company_user)
    app = submit_application(app, company_user)
    mail = SentMail.objects.get(application=app)
    client = staff_client(role)

    detail = client.get(reverse("mail_staff:detail", args=[mail.pk])).content.decode()
    listing = client.get(reverse("mail_staff:index")).content.decode()

    link = f'<a href="{reverse("review:application", args=[app.pk])}">{app.number}</a>'
    assert link in detail
    assert link in listing
    assert re.search(
        r'<nav aria-label="[^"]+" class="breadcrumb-nav">\s*<ol class="breadcrumb">\s*'
        rf'<li><a href="{reverse("mail_staff:index")}">寄送郵件紀錄</a></li>',
        detail,
    )
