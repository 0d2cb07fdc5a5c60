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


def _form_token(client):
    """The one-time token of the key form as the list page hands it out."""
    return client.get("/keys/").context["form"]["request_token"].value()


def test_key_created_shows_the_secret_once_and_stores_its_hash(signed_in, award):
    token = _form_token(signed_in)
    created = signed_in.post(
        "/keys/new/", {"name": "正式環境", "award": award.pk, "request_token": token}
    )

    assert created.status_code == 201
    secret = created.context["secret"]
    assert secret.startswith("sk-aipower-")
    assert secret in created.content.decode()
    assert "此金鑰僅顯示一次。" in created.content.decode()
    key = ApiKey.objects.get()
    assert created.context["created"] == key
    assert key.secret_hash == hash_secret(secret)
    assert key.prefix == secret[: len("sk-aipower-") + 6]
    assert secret not in str(AuditEntry.objects.get(action="gateway.key_created").data)
    assert "no-store" in created["Cache-Control"]
    again = signed_in.get("/keys/")
    assert secret not in again.content.decode()
    assert "正式環境" in again.content.decode()


def test_key_secret_is_kept_nowhere_but_the_answer(signed_in, award, caplog):
    from django.contrib.sessions.models import Session

    token = _form_token(signed_in)
    created = signed_in.post(
        "/keys/new/", {"name": "正式環境", "award": award.pk, "request_token": token}
    )
    secret = created.context["secret"]

    assert secret
    assert all(secret not in str(s.get_decoded()) for s in Session.objects.all())
    assert secret not in caplog.text
    assert secret not in str(list(ApiKey.objects.values()))


def test_the_same_form_sent_again_creates_no_second_key(signed_in, award):
    token = _form_token(signed_in)
    data = {"name": "正式環境", "award": award.pk, "request_token": token}
    first = signed_in.post("/keys/new/", data)

    again = signed_in.post("/keys/new/", data, follow=True)

    assert first.status_code == 201
    assert again.redirect_chain == [("/keys/", 302)]
    assert ApiKey.objects.count() == 1
    page = again.content.decode()
    assert "key-secret" not in page
    assert first.context["secret"] not in page
    assert "金鑰「正式環境」已建立，金鑰僅於建立時顯示一次；若未保存，請撤銷後重新建立。" in page
    assert AuditEntry.objects.filter(action="gateway.key_created").count() == 1


def test_each_form_shown_has_its_own_token_and_creates_its_own_key(signed_in, award):
    first, second = _form_token(signed_in), _form_token(signed_in)

    for token in (first, second):
        signed_in.post("/keys/new/", {"name": "k", "award": award.pk, "request_token": token})

    assert first != second
    assert ApiKey.objects.count() == 2


def test_another_companys_token_does_not_hand_over_its_key(signed_in, award, company):
    from aipower.accounts.models import Company
    from aipower.gateway.services import create_key

    other = Company.objects.create(ubn="04595257", name="別家公司")
    awards = type(award).objects.filter(pk=award.pk)
    awards.update(company=other)  # a key of the other company, then the award back
    token = "t" * 32
    their_key, _secret = create_key(other, awards.get(), "別人的", request_token=token)
    awards.update(company=company)

    mine = signed_in.post("/keys/new/", {"name": "我的", "award": award.pk, "request_token": token})

    assert mine.status_code == 201
    assert mine.context["created"].company == company
    assert mine.context["created"] != their_key
    assert "別人的" not in mine.content.decode()


def test_a_malformed_token_only_turns_off_the_de_duplication(signed_in, award):
    data = {"name": "正式環境", "award": award.pk, "request_token": "<script>"}

    answers = [signed_in.post("/keys/new/", data).status_code for _ in range(2)]

    assert answers == [201, 201]
    assert set(ApiKey.objects.values_list("request_token", flat=True)) == {""}


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


def test_key_list_shows_the_chosen_expiry_day_not_the_next(signed_in, award):
    import datetime

    from django.utils import timezone

    from aipower.core.roc import format_roc_date

    day = timezone.localdate() + datetime.timedelta(days=30)
    signed_in.post("/keys/new/", {"name": "短期", "award": award.pk, "expires_on": day})

    html = signed_in.get("/keys/").content.decode()

    assert f"<td>{format_roc_date(day)} 23:59</td>" in html
    assert format_roc_date(day + datetime.timedelta(days=1)) not in html


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
        ("601", "每分鐘請求上限不得超過平台的上限：每分鐘 600 次。"),
        ("0", "每分鐘請求上限請填寫 1 以上的整數"),
        ("十", "每分鐘請求上限請填寫整數（例如 12）"),
        ("1.5", "每分鐘請求上限請填寫整數（例如 12）"),
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


def test_key_of_a_suspended_service_is_listed_as_not_usable(signed_in, award, company):
    from aipower.gateway.services import create_key
    from aipower.grants.models import Allowance

    key, _secret = create_key(company, award, "正式環境")
    Allowance.objects.filter(award=award).update(state="suspended")

    page = signed_in.get("/keys/").content.decode()

    assert f'<tr id="key-{key.pk}">' in page
    assert '<td class="key-status">無法使用：暫停使用</td>' in page
    assert ">有效<" not in page


def test_no_key_is_created_for_a_service_that_is_over(signed_in, award):
    from aipower.grants.models import Allowance

    Allowance.objects.filter(award=award).update(state="expired")

    page = signed_in.get("/keys/")
    sent = signed_in.post("/keys/new/", {"name": "太晚", "award": award.pk})

    assert 'id="service-over"' in page.content.decode()
    assert 'action="/keys/new/"' not in page.content.decode()
    assert sent.status_code == 400
    assert not ApiKey.objects.exists()


def test_key_list_warns_of_connections_refused_for_their_region(signed_in, award, company):
    from aipower.gateway.services import create_key, record_region_refusal

    key, _secret = create_key(company, award, "正式環境")
    create_key(company, award, "測試環境")
    for _ in range(4):
        record_region_refusal(key.pk, award.pk, "HK", "202.45.84.58")

    page = signed_in.get("/keys/").content.decode()

    warning = page.split('id="region-refusals"')[1].split("</section>")[0]
    assert "金鑰「正式環境」" in warning and "香港" in warning and "4 次" in warning
    assert "測試環境" not in warning


def test_key_list_without_refusals_shows_no_warning(signed_in, award, company):
    from aipower.gateway.services import create_key

    create_key(company, award, "正式環境")

    assert 'id="region-refusals"' not in signed_in.get("/keys/").content.decode()


def test_key_list_leads_back_to_the_application_status(signed_in, award):
    response = signed_in.get("/keys/")

    assert (
        '<a href="/apply/dashboard/">申請案狀態</a> › API 金鑰</nav>' in response.content.decode()
    )
