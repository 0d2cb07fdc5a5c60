"""Fixtures shared by every layer of tests."""

import pytest


@pytest.fixture
def call_115(db):
    """The seeded year-115 call, exactly as the seed document gives it."""
    from aipower.calls.seed import seed_call

    return seed_call(115)
