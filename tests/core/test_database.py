"""The tests run on the database the environment names (PostgreSQL in CI)."""

import os

import pytest
from django.db import connection

pytestmark = pytest.mark.integration


def test_database_is_the_configured_engine(db):
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected
