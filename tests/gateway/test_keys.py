"""The company's API key pages: create (secret shown once), list, revoke."""

import pytest

from aipower.core.models import AuditEntry
from aipower.gateway.models import ApiKey, hash_secret

pytestmark = [pytest.mark.integration, pytest.mark.urls("tests.gateway.urls")]


@pytest.fixture
def signed_in(client, company):
    from aipower.accounts.enums import Role
    from aipower.accounts.models import User

    user = User.objects.create(username="company-52880483", role=Role.COMPANY, company=company)
    client.force_login(user)
    return client


@pytest.fixture
def client():
    from django.test import Client

    return Client()


def test_key_created_shows_the_secret_once_and_stores_its_hash(signed_in, award):
    response = signed_in.post("/keys/new/", {"name": "正式環境", "award": award.pk})

    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret.startswith("sk-aipower-")
    assert secret in response.content.decode()
    key = ApiKey.objects.get()
    assert key.secret_hash == hash_secret(secret)
    assert key.prefix == secret[: len("sk-aipower-") + 6]
    assert secret not in str(AuditEntry.objects.get(action="gateway.key_created").data)
    assert "no-store" in response["Cache-Control"]
    again = signed_in.get("/keys/")
    assert secret not in again.content.decode()
    assert "正式環境" in again.content.decode()


def test_key_without_a_name_is_refused_next_to_the_field(signed_in, award):
    response = signed_in.post("/keys/new/", {"name": "  ", "award": award.pk})

    assert response.status_code == 400
    assert response.context["form"].errors["name"] == ["請輸入金鑰名稱。"]
    assert not ApiKey.objects.exists()


def test_key_revoked_by_its_company(signed_in, award, company):
    from aipower.gateway.services import create_key

    key, _secret = create_key(company, award, "測試")

    response = signed_in.post(f"/keys/{key.pk}/revoke/")

    assert response.status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert AuditEntry.objects.filter(action="gateway.key_revoked").count() == 1


def test_key_of_another_company_cannot_be_revoked(signed_in, award):
    from aipower.accounts.models import Company
    from aipower.gateway.services import create_key

    other = Company.objects.create(ubn="04595257", name="別家公司")
    type(award).objects.filter(pk=award.pk).update(company=other)
    award.refresh_from_db()
    key, _secret = create_key(other, award, "別人的")

    response = signed_in.post(f"/keys/{key.pk}/revoke/")

    assert response.status_code == 404
    key.refresh_from_db()
    assert key.revoked_at is None


def test_key_pages_need_a_company_sign_in(client, transactional_db):
    response = client.get("/keys/")

    assert response.status_code == 302


def test_key_revoke_needs_csrf(company, award):
    from django.test import Client

    from aipower.accounts.enums import Role
    from aipower.accounts.models import User
    from aipower.gateway.services import create_key

    user = User.objects.create(username="c", role=Role.COMPANY, company=company)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    key, _secret = create_key(company, award, "測試")

    response = strict.post(f"/keys/{key.pk}/revoke/")

    assert response.status_code == 403


def test_key_with_an_expiry_day_ends_that_day(signed_in, award):
    import datetime

    from django.utils import timezone

    day = timezone.localdate() + datetime.timedelta(days=30)

    signed_in.post("/keys/new/", {"name": "短期", "award": award.pk, "expires_on": day})

    key = ApiKey.objects.get()
    assert timezone.localtime(key.expires_at).date() == day + datetime.timedelta(days=1)
    assert timezone.localtime(key.expires_at).time() == datetime.time(0, 0)


def test_key_expiry_in_the_past_is_refused(signed_in, award):
    response = signed_in.post(
        "/keys/new/", {"name": "過期", "award": award.pk, "expires_on": "2020-01-01"}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["expires_on"] == ["到期日不得早於今天。"]
