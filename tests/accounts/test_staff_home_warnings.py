"""The operator's staff home warns of what is behind: a task worker that takes no work (mails,
imports and reminders wait), and tax-registration data published too long ago."""

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from aipower.accounts.models import User
from aipower.registry.models import Snapshot
from aipower.registry.services import import_demo_registry
from tests.conftest import verified_client
from tests.queued_tasks import queued_task

pytestmark = pytest.mark.integration

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def home(role="operator"):
    user, _created = User.objects.get_or_create(username=f"w-{role}", defaults={"role": role})
    return verified_client(user).get(reverse("staff:home")).content.decode()


@override_settings(TASKS=DB_TASKS, HEALTH_BACKLOG_SECONDS=900)
def test_the_operator_is_told_when_no_worker_takes_the_queued_work(db):
    queued_task(minutes_ago=3)
    quiet = home()
    queued_task(minutes_ago=20)

    stalled = home()

    assert 'id="worker-stalled"' not in quiet
    assert "背景工作程序似乎沒有在執行：有工作已等待超過 15 分鐘" in stalled
    assert 'id="worker-stalled"' not in home("organiser")  # the operator's to act on


@override_settings(REGISTRY_STALE_DAYS=45)
def test_the_operator_is_told_when_the_registry_data_is_old(db):
    import_demo_registry()
    snapshot = Snapshot.objects.get(is_current=True)
    Snapshot.objects.filter(pk=snapshot.pk).update(
        published_on=timezone.localdate() - datetime.timedelta(days=45)
    )
    fresh_enough = home()
    Snapshot.objects.filter(pk=snapshot.pk).update(
        published_on=timezone.localdate() - datetime.timedelta(days=60)
    )

    old = home("operator")

    assert 'id="registry-stale"' not in fresh_enough
    assert "已 60 天；請上傳財政部最新資料集" in old
    assert reverse("registry:imports") in old.split('id="registry-stale"', 1)[1][:200]


def test_the_operator_is_told_of_violations_to_decide_and_keys_used_from_blocked_regions(
    call_115,
):
    from aipower.calls.enums import CategoryKind
    from aipower.compliance import services as compliance
    from aipower.compliance.enums import UsageRule
    from aipower.gateway.services import create_key, record_region_refusal
    from aipower.grants import services as grants
    from tests.grants.conftest import make_award

    award = grants.open_allowance(make_award(call_115, "10458575", CategoryKind.INFERENCE)).award
    quiet = home()
    key, _secret = create_key(award.company, award, "leaked")
    other, _secret = create_key(award.company, award, "second")
    long_ago = timezone.now() - datetime.timedelta(days=7)
    record_region_refusal(other.pk, award.pk, "CN", "1.2.4.8", now=long_ago)  # too old
    for _ in range(3):
        record_region_refusal(key.pk, award.pk, "HK", "202.45.84.58")
    operator = User.objects.get(username="w-operator")
    compliance.record_violation(
        award, UsageRule.MAINLAND_IP, timezone.localdate(), "閘道紀錄", by=operator
    )

    warned = home()

    assert 'id="pending-violations"' not in quiet and 'id="region-refused"' not in quiet
    assert "1 件違規紀錄待處分。" in warned
    assert "近 7 日有 1 把 API 金鑰自中國大陸、香港或澳門連線" in warned
    assert 'id="region-refused"' not in home("organiser")  # the operator's to decide
