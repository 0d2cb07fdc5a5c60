"""A survey round has an English title beside its zh-Hant one (before: English pages and the
English half of the reminders showed the zh-Hant title): the operator enters it, English pages
and notices use it, and a round without one keeps its zh-Hant title everywhere."""

import datetime

import pytest
from django.utils import timezone

from aipower.applications.models import SentMail
from aipower.core.models import AuditEntry
from aipower.followup import reminders
from aipower.followup.models import Round

pytestmark = pytest.mark.integration

TITLE, TITLE_EN = "115年度產品化調查（第1次）", "2026 productisation survey (round 1)"


def _open(client, call, **extra):
    today = timezone.localdate()
    return client.post(
        "/staff/followup/new/",
        {
            "title": TITLE,
            "call": call.pk,
            "opens_on": today.isoformat(),
            "due_on": (today + datetime.timedelta(days=5)).isoformat(),
            **extra,
        },
    )


def test_the_operator_enters_an_english_title_and_english_pages_show_it(
    staff, call_115, training_ended, company_user
):
    client, _user = staff("operator")
    form = client.get("/staff/followup/new/").content.decode()
    assert '<label for="id_title_en">調查名稱（英文）' in form

    assert _open(client, call_115, title_en=f" {TITLE_EN} ").status_code == 302

    round_ = Round.objects.get()
    assert (round_.title, round_.title_en) == (TITLE, TITLE_EN)
    assert AuditEntry.objects.get(action="followup.round_opened").data["title_en"] == TITLE_EN
    company = client.__class__()
    company.force_login(company_user(training_ended.company))
    assert f"<h1>{TITLE}</h1>" in company.get(f"/followup/{round_.pk}/").content.decode()
    company.cookies["django_language"] = "en"
    english = company.get(f"/followup/{round_.pk}/").content.decode()
    assert f"<h1>{TITLE_EN}</h1>" in english
    assert TITLE not in english
    client.cookies["django_language"] = "en"
    assert f"<h1>{TITLE_EN}</h1>" in client.get(f"/staff/followup/{round_.pk}/").content.decode()


def test_the_english_reminder_names_the_english_title(staff, call_115, training_ended):
    client, _user = staff("operator")
    _open(client, call_115, title_en=TITLE_EN)

    reminders.run()

    body = SentMail.objects.get().body
    # The zh-Hant half names the zh-Hant title, the English half the English one.
    assert body.count(TITLE) == 1
    assert body.count(TITLE_EN) == 1
    assert body.index(TITLE) < body.index(TITLE_EN)


def test_a_round_without_an_english_title_keeps_its_own_on_english_pages(
    staff, call_115, training_ended
):
    client, _user = staff("operator")
    _open(client, call_115)
    round_ = Round.objects.get()
    assert round_.title_en == ""

    client.cookies["django_language"] = "en"
    assert f"<h1>{TITLE}</h1>" in client.get(f"/staff/followup/{round_.pk}/").content.decode()


def test_changing_the_english_title_is_audited(staff, open_round):
    client, _user = staff("operator")

    client.post(
        f"/staff/followup/{open_round.pk}/edit/",
        {
            "title": open_round.title,
            "title_en": TITLE_EN,
            "opens_on": open_round.opens_on.isoformat(),
            "due_on": open_round.due_on.isoformat(),
        },
    )

    open_round.refresh_from_db()
    assert open_round.title_en == TITLE_EN
    entry = AuditEntry.objects.get(action="followup.round_changed")
    assert entry.data == {"title_en": ["", TITLE_EN]}
