"""The demo's inference award: 山嵐資訊 with a working development key, loaded idempotently."""

import pytest

from aipower.devtools.demo_grants import DEMO_KEY, load_demo_grants
from aipower.gateway.models import ApiKey, ModelRoute, hash_secret
from aipower.grants.models import Allowance

pytestmark = pytest.mark.integration


def test_demo_grants_loaded_twice_give_one_award_one_key(call_115):
    first = load_demo_grants()
    second = load_demo_grants()

    assert first.pk == second.pk
    assert first.company.ubn == "52880483"
    assert first.application.number == "AP115-I-0001"  # numbered as a submission would be
    assert ApiKey.objects.get(secret_hash=hash_secret(DEMO_KEY)).award == first
    assert Allowance.objects.get(award=first).state == "active"
    inference = call_115.models.filter(offered_inference=True, enabled=True, prohibited=False)
    assert set(first.allowed_models.all()) == set(inference)
    assert ModelRoute.objects.filter(upstream__base_url="http://127.0.0.1:8001/v1").count() == (
        inference.count()
    )
