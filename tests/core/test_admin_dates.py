"""The admin shows dates as the rest of the site does: ROC in zh-Hant, ISO in English, in the
change lists' columns and date hierarchy and in the read-only fields of object pages and their
inlines; the change form's date inputs keep Django's input formats."""

import datetime

import pytest
from django.urls import reverse

from aipower.accounts.models import Company, LoginChallenge, User
from aipower.calls.models import Announcement
from aipower.core import audit
from aipower.privacy.enums import Kind, Person
from aipower.privacy.models import DataRequest, DataRequestEvent
from aipower.registry.enums import ListKind
from aipower.registry.models import ListEntry
from tests.conftest import verified_client

pytestmark = pytest.mark.integration


@pytest.fixture
def operator_client(staff_client):
    return staff_client("operator")


@pytest.fixture
def superuser_client(db):
    """The admin with every permission (companies may be edited, login challenges seen)."""
    user = User.objects.create_superuser("root", password="x" * 16, role="operator")
    return verified_client(user)


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


@pytest.fixture
def announcements(announcement):
    """Announcements in two years (2025 and 2026): the date hierarchy starts at the years."""
    Announcement.objects.create(
        title_zh="前一年公告", body_zh="內容", published_on=datetime.date(2025, 12, 1)
    )
    return announcement


def _date_hierarchy(html):
    start = html.index('<nav class="toplinks">')
    return " ".join(html[start : html.index("</nav>", start)].split())


def test_date_hierarchy_years_roc_in_chinese(operator_client, announcements):
    html = _page(operator_client, reverse("admin:calls_announcement_changelist"), "zh-hant")

    bar = _date_hierarchy(html)
    assert '<a href="?published_on__year=2026">115年</a>' in bar
    assert '<a href="?published_on__year=2025">114年</a>' in bar
    assert ">2026</a>" not in bar


def test_date_hierarchy_years_gregorian_in_english(operator_client, announcements):
    html = _page(operator_client, reverse("admin:calls_announcement_changelist"), "en")

    bar = _date_hierarchy(html)
    assert '<a href="?published_on__year=2026">2026</a>' in bar
    assert "115" not in bar


def test_date_hierarchy_months_roc_in_chinese(operator_client, announcements):
    url = reverse("admin:calls_announcement_changelist") + "?published_on__year=2026"

    bar = _date_hierarchy(_page(operator_client, url, "zh-hant"))

    assert '<a href="?" class="date-back">&lsaquo; 所有日期</a>' in bar
    assert '<a href="?published_on__month=3&amp;published_on__year=2026">115年3月</a>' in bar
    assert "2026年" not in bar


def test_date_hierarchy_days_roc_in_chinese(operator_client, announcement):
    # One announcement: the bar opens at its month, back to its year.
    html = _page(operator_client, reverse("admin:calls_announcement_changelist"), "zh-hant")

    bar = _date_hierarchy(html)
    assert 'class="date-back">&lsaquo; 115年</a>' in bar
    assert (
        '<a href="?published_on__day=2&amp;published_on__month=3&amp;published_on__year=2026">'
        "115年3月2日</a>"
    ) in bar
    assert ">2026</a>" not in bar


def test_date_hierarchy_one_day_roc_in_chinese_and_filters(operator_client, announcements):
    url = (
        reverse("admin:calls_announcement_changelist")
        + "?published_on__day=2&published_on__month=3&published_on__year=2026"
    )

    html = _page(operator_client, url, "zh-hant")

    bar = _date_hierarchy(html)
    assert (
        '<a href="?published_on__month=3&amp;published_on__year=2026" class="date-back">'
        "&lsaquo; 115年3月</a> 115年3月2日"
    ) in bar
    assert "徵件公告" in html
    assert "前一年公告" not in html


def test_date_hierarchy_of_datetimes_roc_in_local_time(superuser_client):
    # 2026-03-01 17:00 UTC is 2026-03-02 01:00 in Taipei: the bar's day is the local one.
    LoginChallenge.objects.create(
        nonce="n" * 32,
        session_key="s",
        created_at=datetime.datetime(2026, 3, 1, 17, 0, tzinfo=datetime.UTC),
        expires_at=datetime.datetime(2026, 3, 1, 17, 5, tzinfo=datetime.UTC),
    )
    url = reverse("admin:accounts_loginchallenge_changelist")

    bar = _date_hierarchy(_page(superuser_client, url, "zh-hant"))

    assert 'class="date-back">&lsaquo; 115年</a>' in bar
    assert (
        '<a href="?created_at__day=2&amp;created_at__month=3&amp;created_at__year=2026">'
        "115年3月2日</a>"
    ) in bar


def test_inline_read_only_datetime_roc_in_chinese_iso_in_english(operator_client):
    company = Company.objects.create(ubn="12345678", name="測試公司")
    data_request = DataRequest.objects.create(
        company=company,
        kind=Kind.QUERY,
        person=Person.PI,
        requester_name="王小明",
        requester_email="pi@example.tw",
    )
    DataRequestEvent.objects.create(
        data_request=data_request,
        action=DataRequestEvent.Action.choices[0][0],
        at=datetime.datetime(2026, 3, 2, 6, 5, tzinfo=datetime.UTC),  # 14:05 in Taipei
    )
    url = reverse("admin:privacy_datarequest_change", args=[data_request.pk])

    chinese = " ".join(_page(operator_client, url, "zh-hant").split())
    english = " ".join(_page(operator_client, url, "en").split())

    assert '<td class="field-at"> <p>115年03月02日 14:05</p> </td>' in chinese
    assert '<td class="field-at"> <p>2026-03-02 14:05</p> </td>' in english


def test_read_only_datetime_of_an_editable_page_roc_and_not_an_input(superuser_client):
    # The company admin declares no fields: the form is built from all fields but the read-only.
    company = Company.objects.create(
        ubn="12345678",
        name="測試公司",
        first_login_at=datetime.datetime(2026, 3, 2, 6, 5, tzinfo=datetime.UTC),
    )
    url = reverse("admin:accounts_company_change", args=[company.pk])

    html = " ".join(_page(superuser_client, url, "zh-hant").split())

    assert '<label>首次登入：</label> <div class="readonly">115年03月02日 14:05</div>' in html
    assert 'name="first_login_at' not in html
    assert 'name="name"' in html


def test_editable_page_with_read_only_dates_still_saves(superuser_client):
    first_login = datetime.datetime(2026, 3, 2, 6, 5, tzinfo=datetime.UTC)
    company = Company.objects.create(ubn="12345678", name="測試公司", first_login_at=first_login)
    url = reverse("admin:accounts_company_change", args=[company.pk])

    response = superuser_client.post(url, {"name": "更正公司"})

    assert response.status_code == 302
    company.refresh_from_db()
    assert (company.name, company.first_login_at) == ("更正公司", first_login)


def test_read_only_datetime_named_in_fields_roc_next_to_a_date_input(operator_client):
    # The list entry admin names its fields: the read-only time in the site's format, the
    # editable date an input in Django's input format.
    entry = ListEntry.objects.create(
        ubn="12345675", kind=ListKind.choices[0][0], reason="原因", until=datetime.date(2026, 4, 1)
    )
    ListEntry.objects.filter(pk=entry.pk).update(
        added_at=datetime.datetime(2026, 3, 2, 6, 5, tzinfo=datetime.UTC)
    )
    url = reverse("admin:registry_listentry_change", args=[entry.pk])

    html = " ".join(_page(operator_client, url, "zh-hant").split())

    assert '<label>登錄時間：</label> <div class="readonly">115年03月02日 14:05</div>' in html
    assert 'name="until" value="2026/04/01"' in html


def test_cluster_token_page_shows_its_dates_roc_and_never_the_token(superuser_client):
    from aipower.grants.models import ClusterToken

    token = ClusterToken.objects.create(cluster="taiwania", token_hash="f" * 64)
    ClusterToken.objects.filter(pk=token.pk).update(
        last_used_at=datetime.datetime(2026, 3, 2, 6, 5, tzinfo=datetime.UTC)
    )
    url = reverse("admin:grants_clustertoken_change", args=[token.pk])

    html = " ".join(_page(superuser_client, url, "zh-hant").split())

    assert '<div class="readonly">115年03月02日 14:05</div>' in html
    assert "f" * 64 not in html
