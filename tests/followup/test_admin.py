"""The survey in the admin: every model shown, nothing added, changed or deleted there."""

import pytest

from aipower.accounts.models import User
from aipower.followup import services
from tests.conftest import verified_client

from .conftest import cleaned

pytestmark = pytest.mark.integration


@pytest.fixture
def admin_client_verified(db):
    user = User.objects.create_superuser("op", password="x" * 16, role="operator")
    return verified_client(user)


def test_admin_shows_rounds_and_versions_read_only(
    admin_client_verified, open_round, training_ended, company_user
):
    [standing] = services.standings(open_round)
    version = services.submit(standing, cleaned(), by=company_user(training_ended.company))

    for url in (
        "/admin/followup/round/",
        "/admin/followup/response/",
        "/admin/followup/responseversion/",
        "/admin/followup/notice/",
        f"/admin/followup/responseversion/{version.pk}/change/",
    ):
        assert admin_client_verified.get(url).status_code == 200, url
    assert admin_client_verified.get("/admin/followup/round/add/").status_code == 403
    page = admin_client_verified.get(f"/admin/followup/round/{open_round.pk}/change/")
    assert "115年度產品化調查（第1次）" in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
