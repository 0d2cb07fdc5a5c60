"""The admin's change lists show dates as the rest of the site does: ROC in zh-Hant, ISO in
English; the change form's date inputs keep Django's input formats."""

import datetime

import pytest
from django.urls import reverse

from aipower.calls.models import Announcement
from aipower.core import audit

pytestmark = pytest.mark.integration


@pytest.fixture
def operator_client(staff_client):
    return staff_client("operator")


@pytest.fixture
def announcement(db):
    return Announcement.objects.create(
        title_zh="徵件公告", body_zh="內容", published_on=datetime.date(2026, 3, 2)
    )


def _page(client, url, language):
    client.cookies["django_language"] = language
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def test_changelist_date_column_roc_in_chinese(operator_client, announcement):
    html = _page(operator_client, reverse("admin:calls_announcement_changelist"), "zh-hant")

    assert '<td class="field-published_on">115年03月02日</td>' in html
    assert "2026年3月2日" not in html


def test_changelist_date_column_iso_in_english(operator_client, announcement):
    html = _page(operator_client, reverse("admin:calls_announcement_changelist"), "en")

    assert '<td class="field-published_on">2026-03-02</td>' in html


def test_changelist_date_column_keeps_heading_and_sorting(operator_client, announcement):
    html = _page(operator_client, reverse("admin:calls_announcement_changelist"), "zh-hant")

    assert 'class="sortable column-published_on sorted descending"' in html
    assert ">公告日期</a>" in html


def test_changelist_datetime_column_roc_with_local_time(operator_client):
    entry = audit.record("staff.login")
    entry.at = datetime.datetime(2026, 3, 2, 6, 5, tzinfo=datetime.UTC)  # 14:05 in Taipei
    entry.save(update_fields=["at"])

    html = _page(operator_client, reverse("admin:core_auditentry_changelist"), "zh-hant")

    assert '<a href="/admin/core/auditentry/' in html
    assert "115年03月02日 14:05</a></th>" in html


def test_changelist_editable_column_stays_an_input(operator_client, announcement):
    html = _page(operator_client, reverse("admin:calls_announcement_changelist"), "zh-hant")

    assert 'name="form-0-is_published"' in html


def test_change_form_date_input_keeps_django_input_format(operator_client, announcement):
    url = reverse("admin:calls_announcement_change", args=[announcement.pk])

    html = _page(operator_client, url, "zh-hant")

    # Django's zh-Hant input format, which its date picker and the form's parsing share.
    assert 'name="published_on" value="2026/03/02"' in html


def test_change_form_saves_a_typed_date(operator_client, announcement):
    url = reverse("admin:calls_announcement_change", args=[announcement.pk])
    data = {
        "call": "",
        "title_zh": announcement.title_zh,
        "title_en": "",
        "body_zh": announcement.body_zh,
        "body_en": "",
        "published_on": "2026-04-01",
        "is_published": "on",
    }

    response = operator_client.post(url, data)

    assert response.status_code == 302
    announcement.refresh_from_db()
    assert announcement.published_on == datetime.date(2026, 4, 1)


def test_every_admin_of_ours_shows_dates_as_the_site_does():
    from django.contrib import admin

    from aipower.core.admin_dates import RocDateColumnsMixin

    ours = {
        model._meta.label: model_admin
        for model, model_admin in admin.site._registry.items()
        if type(model_admin).__module__.startswith("aipower.")
    }

    assert ours
    assert [
        label
        for label, model_admin in ours.items()
        if not isinstance(model_admin, RocDateColumnsMixin)
    ] == []


def test_read_only_object_page_shows_dates_as_the_site_does(operator_client):
    entry = audit.record("staff.login")
    entry.at = datetime.datetime(2026, 3, 2, 6, 5, tzinfo=datetime.UTC)  # 14:05 in Taipei
    entry.save(update_fields=["at"])
    url = reverse("admin:core_auditentry_change", args=[entry.pk])

    chinese = _page(operator_client, url, "zh-hant")
    english = _page(operator_client, url, "en")

    assert '<div class="readonly">115年03月02日 14:05</div>' in chinese
    assert "2026年3月2日" not in chinese
    assert '<div class="readonly">2026-03-02 14:05</div>' in english
