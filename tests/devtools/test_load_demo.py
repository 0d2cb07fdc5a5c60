"""`make run` after the operator uploaded a newer tax-registration data set: load_demo keeps it
and says how to bring the demo's back, instead of stopping `make run` with the import's
refusal of an older file."""

import datetime
import io

import pytest
from django.core.management import call_command

from aipower.devtools.management.commands.load_demo import demo_registry_published_on
from aipower.registry.services import current_snapshot

pytestmark = pytest.mark.integration


@pytest.fixture
def devca_dir(settings, tmp_path):
    settings.DEVCA_DIR = tmp_path / "devca"
    return settings.DEVCA_DIR


def test_load_demo_keeps_a_newer_uploaded_data_set(db, devca_dir, tmp_path):
    newer = demo_registry_published_on() + datetime.timedelta(days=30)
    uploaded = tmp_path / "BGMOPEN1.csv"
    call_command(
        "generate_tax_registry", rows=20, out=str(uploaded), seed=1, published=newer.isoformat()
    )
    call_command("import_tax_registry", str(uploaded), quiet=True, verbosity=0)
    out = io.StringIO()

    call_command("load_demo", stdout=out)

    assert current_snapshot().published_on == newer
    assert "Registry: kept the current data set" in out.getvalue()
    assert "--allow-older" in out.getvalue()


def test_load_demo_loads_the_demo_data_set_when_none_is_newer(db, devca_dir):
    out = io.StringIO()

    call_command("load_demo", stdout=out)
    call_command("load_demo", stdout=out)  # idempotent: the same file again is not older

    assert current_snapshot().published_on == demo_registry_published_on()
    assert current_snapshot().source_name == "BGMOPEN1-demo.csv"


def test_load_demo_says_when_the_demo_key_was_revoked(db, devca_dir):
    from aipower.devtools.demo_grants import DEMO_KEY
    from aipower.gateway import services
    from aipower.gateway.models import ApiKey, hash_secret

    call_command("load_demo", stdout=io.StringIO())
    services.revoke_key(ApiKey.objects.get(secret_hash=hash_secret(DEMO_KEY)))
    out = io.StringIO()

    call_command("load_demo", stdout=out)

    assert "was revoked or has expired" in out.getvalue()
    assert f"API key {DEMO_KEY}\n" not in out.getvalue()
