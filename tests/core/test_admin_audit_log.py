"""The admin's audit log shows each action by its readable name, filters by action and searches
by actor and object."""

import pytest
from django.urls import reverse

from aipower.accounts.models import User
from aipower.core import audit

pytestmark = pytest.mark.integration


@pytest.fixture
def organiser_client(staff_client):
    return staff_client("organiser")


def _get(client, params=None, language="zh-hant"):
    client.cookies["django_language"] = language
    response = client.get(reverse("admin:core_auditentry_changelist"), params or {})
    assert response.status_code == 200
    return response.content.decode()


def test_audit_admin_shows_the_label(organiser_client):
    audit.record("review.batch_frozen", batch=1)

    html = _get(organiser_client)

    assert '<td class="field-action_name">凍結梯次</td>' in html
    assert ">review.batch_frozen<" not in html


def test_audit_admin_shows_the_label_in_english(organiser_client):
    audit.record("review.batch_frozen", batch=1)

    html = _get(organiser_client, language="en")

    assert '<td class="field-action_name">Batch frozen</td>' in html


def test_audit_admin_unknown_code_shown_as_it_is(organiser_client):
    audit.record("old.renamed_action")

    html = _get(organiser_client)

    assert '<td class="field-action_name">old.renamed_action</td>' in html


def test_audit_admin_filter_lists_recorded_actions_by_label(organiser_client):
    audit.record("review.batch_frozen")
    audit.record("staff.logout")

    html = _get(organiser_client)

    assert 'href="?action=review.batch_frozen"' in html
    assert ">凍結梯次</a>" in html
    assert ">工作人員登出</a>" in html
    assert "?action=staff.login" not in html


def test_audit_admin_filter_lists_each_action_once(organiser_client):
    for _ in range(3):
        audit.record("review.batch_frozen")

    html = _get(organiser_client)

    assert html.count('href="?action=review.batch_frozen"') == 1


def test_audit_admin_filter_by_action(organiser_client):
    audit.record("review.batch_frozen")
    audit.record("staff.logout")

    html = _get(organiser_client, {"action": "staff.logout"})

    assert '<td class="field-action_name">工作人員登出</td>' in html
    assert '<td class="field-action_name">凍結梯次</td>' not in html


def test_audit_admin_search_by_actor_and_object(organiser_client):
    actor = User.objects.create_user("alice", role="operator")
    other = User.objects.create_user("bob", role="operator")
    audit.record("staff.login", actor=actor, obj=actor)
    audit.record("staff.logout", actor=other, obj=other)

    by_actor = _get(organiser_client, {"q": "alice"})
    by_object = _get(organiser_client, {"q": "accounts.User"})

    assert "工作人員登入</td>" in by_actor
    assert "工作人員登出</td>" not in by_actor
    assert by_object.count('<td class="field-object_type">accounts.User</td>') == 2
