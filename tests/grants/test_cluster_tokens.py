"""Cluster tokens replaced without a gap: the replaced token keeps working beside the new one
for its overlap, or until the operator revokes it; hashed only, audited, shown in the admin."""

import datetime
import io
import json

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from aipower.core.models import AuditEntry
from aipower.grants import gpu
from aipower.grants.models import ClusterToken

from .test_admin import staff_client

pytestmark = pytest.mark.integration

T0 = datetime.datetime(2026, 11, 20, 1, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)


def _works(token, now):
    return gpu.authenticate(f"Bearer {token}", now) == "taiwania"


def test_replaced_token_keeps_working_beside_the_new_one_for_seven_days(db):
    """Issuing a new token stopped the old one at once: the cluster's reports failed (401)
    until someone reconfigured it."""
    old = gpu.issue_token("taiwania", now=T0)
    new = gpu.issue_token("taiwania", now=T0 + DAY)

    assert [_works(old, T0 + DAY), _works(new, T0 + DAY)] == [True, True]
    assert _works(old, T0 + 8 * DAY - datetime.timedelta(seconds=1))
    assert [_works(old, T0 + 8 * DAY), _works(new, T0 + 8 * DAY)] == [False, True]
    row = ClusterToken.objects.get(cluster="taiwania")
    assert (row.token_hash, row.previous_token_hash) == (gpu.hash_token(new), gpu.hash_token(old))
    assert old not in str(list(ClusterToken.objects.values())) and new not in str(
        list(ClusterToken.objects.values())
    )


def test_replaced_token_is_still_accepted_by_the_api(client, db):
    old = gpu.issue_token("taiwania")
    gpu.issue_token("taiwania")

    response = client.get(reverse("grants:api-gpu-accounts"), HTTP_AUTHORIZATION=f"Bearer {old}")

    assert response.status_code == 200
    row = ClusterToken.objects.get(cluster="taiwania")
    assert (row.last_used_at, row.previous_last_used_at is not None) == (None, True)


def test_a_cluster_holds_two_tokens_at_most_and_a_revoked_one_never_returns(db):
    first = gpu.issue_token("taiwania", now=T0)
    second = gpu.issue_token("taiwania", now=T0)
    third = gpu.issue_token("taiwania", now=T0)

    assert [_works(t, T0) for t in (first, second, third)] == [False, True, True]
    ClusterToken.objects.update(revoked_at=T0)
    fourth = gpu.issue_token("taiwania", now=T0)
    assert [_works(t, T0) for t in (third, fourth)] == [False, True]


def test_no_overlap_stops_the_replaced_token_at_once(db):
    """A token that leaked: ``--no-overlap`` replaces it with no time beside the new one."""
    old = gpu.issue_token("taiwania")
    out = io.StringIO()

    call_command(
        "create_cluster_token", "taiwania", "--no-overlap", stdout=out, stderr=io.StringIO()
    )

    assert [_works(old, None), _works(out.getvalue().strip(), None)] == [False, True]


def test_command_says_until_when_the_replaced_token_works(db):
    gpu.issue_token("taiwania")
    err = io.StringIO()

    call_command("create_cluster_token", "taiwania", stdout=io.StringIO(), stderr=err)

    assert "the token it replaces keeps working until" in err.getvalue()


def test_operator_revokes_the_replaced_token_from_the_list(db, django_user_model):
    old = gpu.issue_token("taiwania")
    new = gpu.issue_token("taiwania")
    row = ClusterToken.objects.get(cluster="taiwania")
    operator = staff_client(django_user_model, "op", "operator")

    response = operator.post(
        "/admin/grants/clustertoken/",
        {"action": "revoke_previous", "_selected_action": [str(row.pk)], "index": "0"},
    )

    assert response.status_code == 302
    assert [_works(old, None), _works(new, None)] == [False, True]
    entry = AuditEntry.objects.get(action="grants.revoke_previous_cluster_token")
    assert (entry.actor, entry.object_id) == (operator.user, str(row.pk))
    assert not AuditEntry.objects.filter(action="grants.revoke_cluster_token").exists()


def test_the_organiser_cannot_revoke_the_replaced_token(db, django_user_model):
    old = gpu.issue_token("taiwania")
    gpu.issue_token("taiwania")
    row = ClusterToken.objects.get(cluster="taiwania")
    organiser = staff_client(django_user_model, "org", "organiser")

    organiser.post(
        "/admin/grants/clustertoken/",
        {"action": "revoke_previous", "_selected_action": [str(row.pk)], "index": "0"},
    )

    assert _works(old, None)


def test_token_list_says_until_when_the_replaced_token_works_and_whether_it_is_used(db):
    from django.utils import timezone

    now = timezone.now()
    old = gpu.issue_token("taiwania", now=now - DAY)
    gpu.issue_token("taiwania", now=now - DAY)
    column = admin.site._registry[ClusterToken].previous_token
    row = ClusterToken.objects.get(cluster="taiwania")
    with translation.override("en"):
        unused = str(column(row))
    gpu.authenticate(f"Bearer {old}", now)
    row.refresh_from_db()
    with translation.override("zh-hant"):
        used = str(column(row))
    ClusterToken.objects.update(revoked_at=now)
    row.refresh_from_db()
    with translation.override("en"):
        stopped = str(column(row))

    assert unused.startswith("Works until ") and unused.endswith(
        "(not used since the new token was issued)"
    )
    assert used.startswith("可用至 ") and "換發後仍在使用，最近 " in used
    assert stopped == "No longer works"
    assert json.dumps(column(ClusterToken(cluster="x", token_hash="y"))) == "null"


def _shown_tokens(response):
    import re

    return re.findall(r'<code class="cluster-token">([^<]+)</code>', response.content.decode())


def test_operator_issues_a_new_clusters_token_on_a_page_shown_once(db, django_user_model):
    """Tokens were issued only by the command line: an operator without a shell could not
    connect a new cluster."""
    operator = staff_client(django_user_model, "op", "operator")

    page = operator.get("/admin/grants/clustertoken/add/")
    response = operator.post("/admin/grants/clustertoken/add/", {"cluster": "forerunner"})

    assert page.status_code == 200
    assert 'name="cluster"' in page.content.decode()
    (token,) = _shown_tokens(response)
    assert gpu.authenticate(f"Bearer {token}") == "forerunner"
    assert "no-store" in response["Cache-Control"]
    assert token not in str(list(ClusterToken.objects.values()))
    entry = AuditEntry.objects.get(action="grants.issue_cluster_token")
    assert (entry.actor, entry.object_id) == (operator.user, str(ClusterToken.objects.get().pk))
    assert token not in json.dumps(entry.data)


@pytest.mark.parametrize(
    ("cluster", "message"),
    [
        ("taiwania", "此叢集已有憑證"),
        ("Taiwania", "此叢集已有憑證"),  # the same cluster (a second one, before)
        ("bad name!", "僅可使用英文字母"),
        ("", "請輸入叢集名稱"),
    ],
)
def test_the_new_token_page_refuses_a_name_it_cannot_use(db, django_user_model, cluster, message):
    gpu.issue_token("taiwania")
    operator = staff_client(django_user_model, "op", "operator")

    response = operator.post("/admin/grants/clustertoken/add/", {"cluster": cluster})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert _shown_tokens(response) == []
    assert ClusterToken.objects.count() == 1


def test_operator_replaces_tokens_from_the_list_the_old_ones_working_on(db, django_user_model):
    old = gpu.issue_token("taiwania")
    row = ClusterToken.objects.get(cluster="taiwania")
    operator = staff_client(django_user_model, "op", "operator")

    response = operator.post(
        "/admin/grants/clustertoken/",
        {"action": "issue_new", "_selected_action": [str(row.pk)], "index": "0"},
    )

    (new,) = _shown_tokens(response)
    assert [_works(old, None), _works(new, None)] == [True, True]
    assert "可用至" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_the_organiser_cannot_issue_cluster_tokens(db, django_user_model):
    gpu.issue_token("taiwania")
    row = ClusterToken.objects.get(cluster="taiwania")
    organiser = staff_client(django_user_model, "org", "organiser")

    added = organiser.post("/admin/grants/clustertoken/add/", {"cluster": "forerunner"})
    replaced = organiser.post(
        "/admin/grants/clustertoken/",
        {"action": "issue_new", "_selected_action": [str(row.pk)], "index": "0"},
    )

    assert added.status_code == 403
    assert _shown_tokens(replaced) == []
    assert ClusterToken.objects.get().created_at == row.created_at
