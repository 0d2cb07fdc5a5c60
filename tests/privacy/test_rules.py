"""Who may see and handle personal-data requests."""

from types import SimpleNamespace

import pytest

from aipower.privacy import rules

pytestmark = pytest.mark.unit


def user(role, *, active=True, authenticated=True):
    return SimpleNamespace(role=role, is_active=active, is_authenticated=authenticated)


@pytest.mark.parametrize(
    ("role", "view", "handle"),
    [
        ("operator", True, True),
        ("organiser", True, False),
        ("reviewer", False, False),
        ("company", False, False),
    ],
)
def test_rules_by_role(role, view, handle):
    assert rules.can_view_data_requests(user(role)) is view
    assert rules.can_handle_data_requests(user(role)) is handle


def test_rules_inactive_operator_refused():
    assert rules.can_handle_data_requests(user("operator", active=False)) is False


def test_rules_anonymous_refused():
    assert rules.can_view_data_requests(None) is False
