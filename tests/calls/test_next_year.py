"""Next year's call from this year's, without code: the operator copies the call in the admin
and edits the copy (programme year, dates, batches, tiers, weights, catalogue, texts, contact)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib import admin
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cache import SessionStore
from django.test import RequestFactory

from aipower.calls.models import Call, CatalogueModel, Criterion, FormNote, Text, Tier
from aipower.calls.next_year import NextYearExists, a_year_later, copy_to_next_year
from aipower.core.models import AuditEntry

pytestmark = pytest.mark.integration

TAIPEI = ZoneInfo("Asia/Taipei")


def test_copy_is_next_year_with_every_setting_a_year_later(call_115):
    new = copy_to_next_year(call_115)

    assert new.year == 116
    assert new.title_zh == "116年度 算力平台申請說明"
    assert new.title_en == "2027 AI Compute Platform Call"
    assert new.closes_at == datetime.datetime(2027, 10, 30, 23, 59, 59, tzinfo=TAIPEI)
    assert new.startup_founded_on_or_after == datetime.date(2019, 1, 1)
    assert new.is_suspended is True  # until the operator has checked it
    assert new.industries == call_115.industries
    assert new.service_email == call_115.service_email
    batches = {
        (c.kind, b.number): (b.review_date, b.cutoff_at)
        for c in new.categories.all()
        for b in c.batches.all()
    }
    assert len(batches) == 9
    assert batches[("training", 3)] == (
        datetime.date(2027, 11, 2),
        datetime.datetime(2027, 11, 1, 23, 59, 59, tzinfo=TAIPEI),
    )
    weights = dict(
        Criterion.objects.filter(category__call=new, category__kind="inference").values_list(
            "key", "weight"
        )
    )
    assert weights == {
        "importance": 25,
        "opportunity": 25,
        "scenario": 20,
        "benefit": 20,
        "productisation": 10,
    }
    for model in (Tier, CatalogueModel, Text, FormNote):
        assert model.objects.filter(call=new).count() == model.objects.filter(call=call_115).count()
    assert call_115.announcements.exists() and not new.announcements.exists()


def test_copy_leaves_this_years_call_as_it_was(call_115):
    before = Call.objects.filter(pk=call_115.pk).values().get()

    copy_to_next_year(call_115)

    assert Call.objects.filter(pk=call_115.pk).values().get() == before
    assert Criterion.objects.filter(category__call=call_115).count() == 11


def test_copy_refuses_a_year_that_exists(call_115):
    copy_to_next_year(call_115)

    with pytest.raises(NextYearExists):
        copy_to_next_year(call_115)
    assert Call.objects.filter(year=116).count() == 1


def test_a_year_later_of_29_february_is_28_february():
    assert a_year_later(datetime.date(2028, 2, 29)) == datetime.date(2029, 2, 28)


def _run_action(user, calls):
    request = RequestFactory().post("/admin/calls/call/")
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    model_admin = admin.site._registry[Call]
    model_admin.copy_to_next_year(request, Call.objects.filter(pk__in=[c.pk for c in calls]))
    return [str(m) for m in request._messages]


def test_admin_action_copies_the_call_and_audits(call_115, operator):
    said = _run_action(operator, [call_115])

    new = Call.objects.get(year=116)
    assert said[0].startswith("已建立 116 年度徵件")
    assert "暫停收件" in said[0]
    entry = AuditEntry.objects.get(action="admin.add", object_type="calls.Call")
    assert (entry.actor, entry.object_id, entry.data["copied_from"]) == (
        operator,
        str(new.pk),
        115,
    )


def test_admin_action_refuses_when_next_year_exists(call_115, operator):
    copy_to_next_year(call_115)

    said = _run_action(operator, [call_115])

    assert said == ["116 年度之徵件已存在，未複製。"]


def test_admin_action_is_offered_to_the_operator(call_115, operator):
    request = RequestFactory().get("/admin/calls/call/")
    request.user = operator

    assert "copy_to_next_year" in admin.site._registry[Call].get_actions(request)


def test_admin_action_speaks_english_on_an_english_page(call_115, operator):
    from django.utils import translation

    with translation.override("en"):
        said = _run_action(operator, [call_115])

    assert said[0].startswith("Created the call of programme year 116")


def test_operator_copies_the_call_from_the_admin_list(call_115, django_user_model):
    from django.urls import reverse

    from aipower.accounts.roles import sync_role_groups
    from tests.conftest import verified_client

    user = django_user_model.objects.create_user("op2", password="x" * 16, role="operator")
    sync_role_groups()
    client = verified_client(user)
    url = reverse("admin:calls_call_changelist")

    listing = client.get(url)
    response = client.post(
        url, {"action": "copy_to_next_year", "_selected_action": [call_115.pk]}, follow=True
    )

    assert "複製為下一年度徵件" in listing.content.decode()
    assert response.status_code == 200
    assert "已建立 116 年度徵件" in response.content.decode()
    assert Call.objects.filter(year=116, is_suspended=True).exists()


def test_copy_keeps_the_taipei_day_when_the_utc_day_is_the_day_before(call_115):
    # 116/03/01 00:00 Taipei is 28 February 16:00 UTC; a year later 117/03/01, not 29 February
    # (2028 is a leap year), whichever zone the database hands the moment back in.
    opens = datetime.datetime(2027, 3, 1, 0, 0, tzinfo=TAIPEI)
    Call.objects.filter(pk=call_115.pk).update(opens_at=opens)
    call_115.refresh_from_db()

    new = copy_to_next_year(call_115)

    assert new.opens_at == datetime.datetime(2028, 3, 1, 0, 0, tzinfo=TAIPEI)
    assert a_year_later(opens.astimezone(datetime.UTC)) == datetime.datetime(
        2028, 3, 1, 0, 0, tzinfo=TAIPEI
    )


def test_copy_moves_a_default_cutoff_with_its_review_date_across_29_february(call_115):
    from aipower.calls.models import Batch, default_cutoff

    first, second = Batch.objects.filter(category__call=call_115).order_by("pk")[:2]
    first.review_date = datetime.date(2027, 3, 1)  # cut-off 2027-02-28 23:59:59
    first.save()
    second.review_date = datetime.date(2028, 2, 29)  # cut-off 2028-02-28 23:59:59
    second.save()

    new = copy_to_next_year(call_115)

    copies = {b.review_date: b.cutoff_at for b in Batch.objects.filter(category__call=new)}
    # The day before the review date, as before: not 28 February in a leap year (a day early),
    # nor 23:59:59 on the review day itself (28 February 2029).
    assert copies[datetime.date(2028, 3, 1)] == default_cutoff(datetime.date(2028, 3, 1))
    assert copies[datetime.date(2029, 2, 28)] == default_cutoff(datetime.date(2029, 2, 28))
    assert copies[datetime.date(2029, 2, 28)] < datetime.datetime(2029, 2, 28, tzinfo=TAIPEI)
