"""The ledger in the admin: read-only entries, reinstatement through the service (never of a
violation's suspension), adjustments."""

import datetime
import re

import pytest
from django.contrib import admin
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cache import SessionStore
from django.test import RequestFactory
from django.utils import timezone

from aipower.accounts.roles import sync_role_groups
from aipower.core.models import AuditEntry
from aipower.grants import services
from aipower.grants.models import Allowance, AllowanceState, LedgerEntry
from tests.conftest import verified_client

pytestmark = pytest.mark.integration


@pytest.fixture
def operator_request(django_user_model):
    user = django_user_model.objects.create_superuser("op", password="x" * 16, role="operator")
    request = RequestFactory().post("/admin/grants/allowance/")
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_ledger_entries_are_read_only_in_the_admin(inference_award, operator_request):
    allowance = services.open_allowance(inference_award)
    entry_admin = admin.site._registry[LedgerEntry]

    assert entry_admin.has_add_permission(operator_request) is False
    assert entry_admin.has_change_permission(operator_request, allowance.entries.get()) is False
    assert entry_admin.has_delete_permission(operator_request, allowance.entries.get()) is False


def test_admin_reinstates_a_suspended_service_with_audit(inference_award, operator_request):
    allowance = services.open_allowance(inference_award)
    services.set_state(allowance, AllowanceState.SUSPENDED)
    allowance_admin = admin.site._registry[Allowance]
    queryset = Allowance.objects.filter(pk=allowance.pk)

    allowance_admin.reinstate(operator_request, queryset)

    assert Allowance.objects.get(pk=allowance.pk).state == AllowanceState.ACTIVE
    assert list(
        AuditEntry.objects.filter(action="grants.state").values_list("data__state", flat=True)
    ) == ["active"]


def test_admin_cannot_suspend_without_a_recorded_violation(inference_award, operator_request):
    allowance_admin = admin.site._registry[Allowance]

    assert "suspend" not in allowance_admin.get_actions(operator_request)


def test_admin_leaves_a_sanctioned_suspension_to_the_violation_page(
    inference_award, operator_request
):
    from aipower.compliance import services as compliance
    from aipower.compliance.enums import Sanction, UsageRule
    from aipower.compliance.models import Violation

    allowance = services.open_allowance(inference_award)
    operator = operator_request.user
    violation = compliance.record_violation(
        inference_award, UsageRule.PROFIT, timezone.localdate(), "挖礦程式", by=operator
    )
    compliance.decide(violation, Sanction.SUSPEND, by=operator)
    allowance_admin = admin.site._registry[Allowance]

    allowance_admin.reinstate(operator_request, Allowance.objects.filter(pk=allowance.pk))

    assert Allowance.objects.get(pk=allowance.pk).state == AllowanceState.SUSPENDED
    assert Violation.objects.get(pk=violation.pk).reinstated_at is None
    shown = [str(m) for m in operator_request._messages]
    assert any("違規紀錄頁面" in text for text in shown)


def staff_client(django_user_model, username, role):
    """A staff member with the role's permissions, signed in with a verified second factor."""
    user = django_user_model.objects.create_user(username, password="x" * 16, role=role)
    sync_role_groups()  # puts existing staff in their role's group
    client = verified_client(user)
    client.user = user
    return client


@pytest.fixture
def operator_client(django_user_model):
    return staff_client(django_user_model, "operator", "operator")


def adjust_url(allowance):
    return f"/admin/grants/allowance/{allowance.pk}/adjust/"


def test_admin_adjust_adds_units_with_ledger_entry_and_audit(inference_award, operator_client):
    allowance = services.open_allowance(inference_award)

    page = operator_client.get(f"/admin/grants/allowance/{allowance.pk}/change/")
    response = operator_client.post(adjust_url(allowance), {"units": "5000", "reason": "補償停機"})

    allowance.refresh_from_db()
    entry = allowance.entries.get(kind=LedgerEntry.Kind.ADJUSTMENT)
    assert adjust_url(allowance) in page.content.decode()
    assert response.status_code == 302
    assert allowance.granted_units == inference_award.units + 5000
    assert (entry.units, entry.note, entry.created_by) == (5000, "補償停機", operator_client.user)
    assert AuditEntry.objects.get(action="grants.adjust").actor == operator_client.user


def test_admin_adjust_form_has_the_labels(inference_award, operator_client):
    allowance = services.open_allowance(inference_award)

    html = operator_client.get(adjust_url(allowance)).content.decode()

    assert '<label for="id_units"' in html and "調整計量單位數" in html
    assert '<label for="id_reason"' in html and "調整原因" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"units": "5000", "reason": "  "}, "請輸入調整原因。"),
        ({"units": "0", "reason": "無"}, "調整計量單位數不得為 0。"),
        (
            {"units": "abc", "reason": "誤植"},
            "調整計量單位數請填寫整數，增加為正數、扣減為負數（例如 5000 或 -5000）。",
        ),
    ],
)
def test_admin_adjust_bad_input_is_refused_and_kept(
    inference_award, operator_client, data, message
):
    allowance = services.open_allowance(inference_award)

    response = operator_client.post(adjust_url(allowance), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert not allowance.entries.filter(kind=LedgerEntry.Kind.ADJUSTMENT).exists()
    if data["reason"].strip():
        assert data["reason"] in html


def test_admin_adjust_cannot_go_below_used_and_reserved(inference_award, operator_client):
    allowance = services.open_allowance(inference_award)
    services.reserve(allowance.pk, 1000, "r1")

    response = operator_client.post(
        adjust_url(allowance), {"units": str(-inference_award.units), "reason": "收回"}
    )

    allowance.refresh_from_db()
    assert "扣減後之核發量不得低於已使用及預留之量" in response.content.decode()
    assert allowance.granted_units == inference_award.units


def test_admin_adjust_refused_to_a_reviewer(inference_award, django_user_model):
    allowance = services.open_allowance(inference_award)
    client = staff_client(django_user_model, "rev", "reviewer")

    response = client.post(adjust_url(allowance), {"units": "5000", "reason": "x"})

    assert response.status_code in (302, 403)
    assert Allowance.objects.get(pk=allowance.pk).granted_units == inference_award.units


def test_admin_adjust_caption_names_the_unit_in_the_active_languages_parentheses(
    inference_award, operator_client
):
    allowance = services.open_allowance(inference_award)

    chinese = operator_client.get(adjust_url(allowance)).content.decode()
    operator_client.cookies["django_language"] = "en"
    english = operator_client.get(adjust_url(allowance)).content.decode()

    caption = re.compile(r"<caption>(.*?)</caption>")
    assert re.fullmatch(r"Current balance \([^（）]+\)", caption.search(english).group(1))
    assert re.fullmatch(r"目前餘額（[^（）]+）", caption.search(chinese).group(1))


def test_admin_adjust_page_shows_the_balance_in_points_and_what_a_point_is(
    inference_award, operator_client
):
    allowance = services.open_allowance(inference_award)

    html = operator_client.get(adjust_url(allowance)).content.decode()

    assert "<td>100,000,000</td><td>1,000 點</td>" in html
    assert "1 點 = 100,000 tokens" in html


# --- the list actions are the operator's: the organiser's admin is read-only ---------------


def _run_action(client, url, action, pk):
    return client.post(url, {"action": action, "_selected_action": [str(pk)], "index": "0"})


def test_the_organiser_cannot_reinstate_a_suspended_service_from_the_list(
    inference_award, django_user_model
):
    allowance = services.open_allowance(inference_award)
    services.set_state(allowance, AllowanceState.SUSPENDED)
    organiser = staff_client(django_user_model, "org", "organiser")

    _run_action(organiser, "/admin/grants/allowance/", "reinstate", allowance.pk)

    assert Allowance.objects.get(pk=allowance.pk).state == AllowanceState.SUSPENDED
    assert not AuditEntry.objects.filter(action="grants.state").exists()


def test_the_organiser_cannot_revoke_a_cluster_token_from_the_list(db, django_user_model):
    from aipower.grants import gpu
    from aipower.grants.models import ClusterToken

    gpu.issue_token("taiwania")
    token = ClusterToken.objects.get(cluster="taiwania")
    organiser = staff_client(django_user_model, "org", "organiser")

    _run_action(organiser, "/admin/grants/clustertoken/", "revoke", token.pk)

    assert ClusterToken.objects.get(pk=token.pk).revoked_at is None


def test_the_operator_revokes_a_cluster_token_from_the_list(db, django_user_model):
    from aipower.grants import gpu
    from aipower.grants.models import ClusterToken

    gpu.issue_token("taiwania")
    token = ClusterToken.objects.get(cluster="taiwania")
    operator = staff_client(django_user_model, "op", "operator")

    response = _run_action(operator, "/admin/grants/clustertoken/", "revoke", token.pk)

    assert response.status_code == 302
    assert ClusterToken.objects.get(pk=token.pk).revoked_at is not None
    assert AuditEntry.objects.get(action="grants.revoke_cluster_token").actor == operator.user


def test_the_operator_reinstates_a_suspended_service_from_the_list(
    inference_award, django_user_model
):
    allowance = services.open_allowance(inference_award)
    services.set_state(allowance, AllowanceState.SUSPENDED)
    operator = staff_client(django_user_model, "op", "operator")

    response = _run_action(operator, "/admin/grants/allowance/", "reinstate", allowance.pk)

    assert response.status_code == 302
    assert Allowance.objects.get(pk=allowance.pk).state == AllowanceState.ACTIVE


def test_gpu_job_list_shows_the_seconds_taken_beside_those_accounted(
    training_award, operator_request
):
    """A job beyond the balance: the list showed only the accounted seconds (已扣), as if
    taken."""
    from aipower.grants import gpu
    from aipower.grants.models import GpuJob

    allowance = services.open_allowance(training_award)
    services.adjust(allowance, -(allowance.granted_units - 3_600), "測試額度", None)
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(days=1)
    end = start + datetime.timedelta(hours=3)
    gpu.record_job(gpu.JobRecord("taiwania", "88", allowance.account, 2, start, end))
    job_admin = admin.site._registry[GpuJob]
    changelist = job_admin.get_changelist_instance(operator_request)

    (job,) = changelist.get_queryset(operator_request)
    assert "taken_seconds" in changelist.list_display
    assert (job.charged_seconds, job.taken_seconds) == (21_600, 3_600)


def test_gpu_job_columns_tell_accounted_from_taken():
    """Both columns read 'charged' (已扣, 實扣): the accounted one now says so."""
    from django.utils import translation

    from aipower.grants.models import GpuJob

    with translation.override("en"):
        labels = [
            str(GpuJob._meta.get_field(name).verbose_name)
            for name in ("charged_seconds", "taken_seconds")
        ]

    assert labels == ["GPU-seconds accounted", "GPU-seconds taken"]
