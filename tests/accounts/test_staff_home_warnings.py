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
