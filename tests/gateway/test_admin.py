"""The operator's admin of the API: upstream servers and routes, keys; the upstream's key is
never sent back to the browser and its replacement is audited without its value."""

import pytest

from aipower.accounts.models import User
from aipower.accounts.roles import sync_role_groups
from aipower.core.models import AuditEntry
from aipower.gateway.models import Upstream
from tests.conftest import verified_client

pytestmark = pytest.mark.integration

STORED_KEY = "sk-upstream-stored-0123456789"


def _client(role):
    user = User.objects.create_user(role, password="x" * 16, role=role)
    sync_role_groups()
    user.refresh_from_db()
    return verified_client(user)


@pytest.fixture
def upstream(db):
    return Upstream.objects.create(
        name="vllm-a", base_url="http://127.0.0.1:9/v1", api_key=STORED_KEY, timeout=30
    )


def _form(upstream, api_key):
    return {
        "name": upstream.name,
        "base_url": upstream.base_url,
        "api_key": api_key,
        "timeout": "30",
        "routes-TOTAL_FORMS": "0",
        "routes-INITIAL_FORMS": "0",
        "routes-MIN_NUM_FORMS": "0",
        "routes-MAX_NUM_FORMS": "1000",
    }


def test_operator_edits_upstreams_and_routes_and_revokes_keys_organiser_reads(upstream):
    operator, organiser = _client("operator"), _client("organiser")
    change = f"/admin/gateway/upstream/{upstream.pk}/change/"

    statuses = [
        operator.get(change).status_code,
        operator.get("/admin/gateway/upstream/add/").status_code,
        operator.get("/admin/gateway/apikey/").status_code,
        organiser.get(change).status_code,
        organiser.get("/admin/gateway/upstream/add/").status_code,
    ]

    assert statuses == [200, 200, 200, 200, 403]


def test_upstream_page_never_shows_the_stored_key(upstream):
    page = _client("operator").get(f"/admin/gateway/upstream/{upstream.pk}/change/")

    assert STORED_KEY not in page.content.decode()
    assert "已設定；留空則不變更。" in page.content.decode()


def test_upstream_saved_with_the_key_box_empty_keeps_the_key(upstream):
    client = _client("operator")

    response = client.post(f"/admin/gateway/upstream/{upstream.pk}/change/", _form(upstream, ""))

    assert response.status_code == 302
    upstream.refresh_from_db()
    assert upstream.api_key == STORED_KEY
    entry = AuditEntry.objects.get(action="admin.change", object_type="gateway.Upstream")
    assert entry.data["fields"] == []


def test_upstream_key_replaced_is_audited_without_its_value(upstream):
    client = _client("operator")

    response = client.post(
        f"/admin/gateway/upstream/{upstream.pk}/change/", _form(upstream, "sk-new-key-42")
    )

    assert response.status_code == 302
    upstream.refresh_from_db()
    entry = AuditEntry.objects.get(action="admin.change", object_type="gateway.Upstream")
    assert upstream.api_key == "sk-new-key-42"
    assert entry.data["fields"] == ["api_key"]
    assert (entry.data["before"], entry.data["after"]) == (
        {"api_key": "[redacted]"},
        {"api_key": "[redacted]"},
    )
    assert "sk-new-key-42" not in str(entry.data) and STORED_KEY not in str(entry.data)


def test_upstream_page_of_a_reader_never_shows_the_stored_key(upstream):
    page = _client("organiser").get(f"/admin/gateway/upstream/{upstream.pk}/change/")

    assert page.status_code == 200
    assert STORED_KEY not in page.content.decode()


def test_upstream_key_cleared_for_the_environment_variable_is_audited(upstream):
    client = _client("operator")
    page = client.get(f"/admin/gateway/upstream/{upstream.pk}/change/").content.decode()

    response = client.post(
        f"/admin/gateway/upstream/{upstream.pk}/change/",
        {**_form(upstream, ""), "use_environment": "on"},
    )

    assert "改用環境變數 GATEWAY_UPSTREAM_KEY_VLLM_A" in page
    assert "留空則使用環境變數" not in page  # the stored key's page does not say both
    assert response.status_code == 302
    upstream.refresh_from_db()
    assert upstream.api_key == ""
    entry = AuditEntry.objects.get(action="admin.change", object_type="gateway.Upstream")
    assert entry.data["fields"] == ["api_key"]


def test_upstream_key_typed_and_cleared_at_once_is_refused(upstream):
    response = _client("operator").post(
        f"/admin/gateway/upstream/{upstream.pk}/change/",
        {**_form(upstream, "sk-typed"), "use_environment": "on"},
    )

    assert response.status_code == 200
    assert "已勾選「改用環境變數」，請勿同時輸入金鑰。" in response.content.decode()
    upstream.refresh_from_db()
    assert upstream.api_key == STORED_KEY


def test_upstream_without_a_key_names_its_environment_variable_in_english(upstream):
    Upstream.objects.filter(pk=upstream.pk).update(api_key="")
    client = _client("operator")
    client.cookies["django_language"] = "en"

    page = client.get(f"/admin/gateway/upstream/{upstream.pk}/change/").content.decode()
    add = client.get("/admin/gateway/upstream/add/").content.decode()

    assert "Leave empty to use the environment variable GATEWAY_UPSTREAM_KEY_VLLM_A." in page
    assert 'name="use_environment"' not in page
    assert "GATEWAY_UPSTREAM_KEY_ followed by the name" in add


def test_a_revoked_key_cannot_be_unrevoked_in_the_admin(call_115):
    import datetime

    from django.utils import timezone

    from aipower.accounts.models import Company
    from aipower.gateway.models import ApiKey
    from tests.grants.conftest import make_award

    award = make_award(call_115, "52880483", "inference")
    revoked_at = timezone.now() - datetime.timedelta(days=1)
    key = ApiKey.objects.create(
        company=Company.objects.get(ubn="52880483"),
        award=award,
        name="外洩",
        prefix="sk-aipower-abcdef",
        secret_hash="0" * 64,
        revoked_at=revoked_at,
    )
    change = f"/admin/gateway/apikey/{key.pk}/change/"
    operator = _client("operator")

    operator.post(
        change, {"rate_limit": "", "expires_at_0": "", "expires_at_1": "", "revoked_at_0": "",
                 "revoked_at_1": ""},
    )  # fmt: skip

    key.refresh_from_db()
    assert key.revoked_at == revoked_at


def test_region_refusals_are_listed_read_only_for_the_operator(call_115):
    from aipower.calls.enums import CategoryKind
    from aipower.gateway.services import create_key, record_region_refusal
    from aipower.grants import services as grants
    from tests.grants.conftest import make_award

    award = grants.open_allowance(make_award(call_115, "10458575", CategoryKind.INFERENCE)).award
    key, _secret = create_key(award.company, award, "leaked")
    record_region_refusal(key.pk, award.pk, "MO", "60.246.0.1")
    operator = _client("operator")

    listing = operator.get("/admin/gateway/regionrefusal/")

    assert listing.status_code == 200
    assert "60.246.0.1" in listing.content.decode()
    assert operator.get("/admin/gateway/regionrefusal/add/").status_code == 403


def test_operator_sets_a_routes_context_length_on_the_upstream_page(upstream):
    from aipower.calls.seed import seed_call
    from aipower.gateway.models import ModelRoute

    model = seed_call(115).models.filter(offered_inference=True).first()
    client = _client("operator")
    change = f"/admin/gateway/upstream/{upstream.pk}/change/"
    form = _form(upstream, "")
    form.update(
        {
            "routes-TOTAL_FORMS": "1",
            "routes-0-upstream": str(upstream.pk),
            "routes-0-model": str(model.pk),
            "routes-0-upstream_model": "",
            "routes-0-context_length": "8192",
        }
    )

    assert "上下文長度" in client.get(change).content.decode()
    response = client.post(change, form)

    assert response.status_code == 302
    assert ModelRoute.objects.get(model=model).context_length == 8192
