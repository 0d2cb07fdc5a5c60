"""The staff accounts page reads every member's unfinished reviews in one query, whatever the
number of members (it read them one member at a time)."""

import pytest
from django.core.cache import cache

from aipower.accounts.enums import Role
from aipower.accounts.models import User
from tests.accounts.test_staff_accounts import operator, operator_client  # noqa: F401
from tests.query_counts import measure

pytestmark = pytest.mark.integration


def add_reviewers(start, count):
    User.objects.bulk_create(
        [
            User(username=f"rev{n}", role=Role.REVIEWER, email=f"rev{n}@example.org")
            for n in range(start, start + count)
        ]
    )


def test_the_accounts_page_does_not_query_per_member(operator_client):  # noqa: F811
    cache.clear()
    add_reviewers(0, 2)
    few, _response, text = measure(operator_client, "/staff/accounts/")
    assert "rev1" in text

    add_reviewers(2, 10)
    many, _response, text = measure(operator_client, "/staff/accounts/")

    assert "rev11" in text
    assert len(many) == len(few)
