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
    created = signed_in.post("/keys/new/", {"name": "正式環境", "award": award.pk})
    response = signed_in.get("/keys/")

    assert (created.status_code, created["Location"]) == (302, "/keys/")
    secret = response.context["secret"]
    assert secret.startswith("sk-aipower-")
    assert secret in response.content.decode()
    assert "此金鑰僅顯示一次。" in response.content.decode()
    key = ApiKey.objects.get()
    assert response.context["created"] == key
    assert key.secret_hash == hash_secret(secret)
    assert key.prefix == secret[: len("sk-aipower-") + 6]
    assert secret not in str(AuditEntry.objects.get(action="gateway.key_created").data)
    assert "no-store" in response["Cache-Control"]
    again = signed_in.get("/keys/")
    assert secret not in again.content.decode()
    assert "正式環境" in again.content.decode()


def test_key_page_reloaded_after_creation_creates_no_second_key(signed_in, award, caplog):
    from django.contrib.sessions.models import Session

    created = signed_in.post("/keys/new/", {"name": "正式環境", "award": award.pk}, follow=True)
    secret = created.context["secret"]
    reloaded = signed_in.get("/keys/")

    assert created.redirect_chain == [("/keys/", 302)]
    assert ApiKey.objects.count() == 1
    assert reloaded.context["secret"] is None
    assert "key-secret" not in reloaded.content.decode()
    assert "正式環境" in reloaded.content.decode()
    assert all(secret not in str(s.get_decoded()) for s in Session.objects.all())
    assert secret not in caplog.text


def test_key_secret_of_another_company_is_not_shown(signed_in, award, company):
    from aipower.accounts.models import Company
    from aipower.gateway.key_views import NEW_KEY_SESSION
    from aipower.gateway.services import create_key

    other = Company.objects.create(ubn="04595257", name="別家公司")
    type(award).objects.filter(pk=award.pk).update(company=other)
    award.refresh_from_db()
    key, secret = create_key(other, award, "別人的")
    session = signed_in.session
    session[NEW_KEY_SESSION] = {"id": key.pk, "secret": secret}
    session.save()

    response = signed_in.get("/keys/")

    assert response.context["secret"] is None
    assert secret not in response.content.decode()
    assert NEW_KEY_SESSION not in signed_in.session


def test_key_list_shows_roc_dates_and_asks_before_revoking(signed_in, award, company):
    import datetime

    from django.utils import timezone

    from aipower.gateway.services import create_key

    key, _secret = create_key(company, award, "正式環境")
    at = timezone.make_aware(datetime.datetime(2026, 10, 30, 9, 5))
    ApiKey.objects.filter(pk=key.pk).update(created_at=at, last_used_at=at, expires_at=at)

    page = signed_in.get("/keys/").content.decode()

    assert page.count("115年10月30日 09:05") == 3
    assert "2026-10-30" not in page
    question = "確定撤銷金鑰「正式環境」？撤銷後無法復原，使用此金鑰之程式將無法再呼叫 API。"
    assert f'data-confirm="{question}"' in page


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


def test_key_with_its_own_rate_limit_keeps_it_and_lists_it(signed_in, award, settings):
    settings.GATEWAY_DEFAULT_RATE_LIMIT = 600

    signed_in.post("/keys/new/", {"name": "批次", "award": award.pk, "rate_limit": "30"})
    page = signed_in.get("/keys/").content.decode()

    assert ApiKey.objects.get().rate_limit == 30
    assert '<td class="key-rate-limit">30</td>' in page
    assert '<label for="id_rate_limit">每分鐘請求上限：</label>' in page


def test_key_without_its_own_rate_limit_lists_the_platforms(signed_in, award, settings):
    settings.GATEWAY_DEFAULT_RATE_LIMIT = 600

    signed_in.post("/keys/new/", {"name": "一般", "award": award.pk, "rate_limit": ""})
    page = signed_in.get("/keys/").content.decode()

    assert ApiKey.objects.get().rate_limit is None
    assert '<td class="key-rate-limit">600</td>' in page


@pytest.mark.parametrize(
    "typed, error",
    [
        ("601", "不得超過平台的上限：每分鐘 600 次。"),
        ("0", "請輸入 1 以上的整數。"),
        ("十", "請輸入整數。"),
    ],
)
def test_key_rate_limit_out_of_bounds_is_refused_next_to_the_field_and_kept(
    signed_in, award, settings, typed, error
):
    settings.GATEWAY_DEFAULT_RATE_LIMIT = 600

    response = signed_in.post("/keys/new/", {"name": "快", "award": award.pk, "rate_limit": typed})

    assert response.status_code == 400
    assert response.context["form"].errors["rate_limit"] == [error]
    assert f'value="{typed}"' in response.content.decode()
    assert not ApiKey.objects.exists()


def test_key_award_choice_names_its_period_in_roc_dates(signed_in, award):
    from aipower.core.roc import format_period
    from aipower.gateway.forms import ApiKeyForm
    from aipower.review.models import Award

    form = ApiKeyForm(awards=Award.objects.filter(pk=award.pk))
    label = form.fields["award"].label_from_instance(award)

    assert format_period(award.starts_on, award.ends_on) in label
    assert "年" in label
