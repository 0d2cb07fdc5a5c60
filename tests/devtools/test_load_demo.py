"""`make run` after the operator uploaded a newer tax-registration data set: load_demo keeps it
and says how to bring the demo's back, instead of stopping `make run` with the import's
refusal of an older file."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from aipower.devtools.management.commands.load_demo import (
    demo_registry_dated,
    demo_registry_published_on,
)
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
    assert current_snapshot().row_count == 11


def test_the_demo_data_set_is_current_so_the_operator_is_not_told_it_is_out_of_date(
    db, devca_dir, settings
):
    from aipower.accounts.views.staff import operator_warnings

    settings.REGISTRY_STALE_DAYS = 45
    out = io.StringIO()
    call_command("load_demo", stdout=out)

    today = timezone.localdate()
    warnings = operator_warnings(today)
    assert warnings["registry_published"] == today.replace(day=1)
    assert not warnings["registry_stale"]
    assert (
        f"Registry: loaded BGMOPEN1-demo.csv (published {today.replace(day=1)})" in out.getvalue()
    )


def test_an_upload_published_before_this_month_is_kept(db, devca_dir, tmp_path):
    uploaded = tmp_path / "BGMOPEN1.csv"
    published = demo_registry_published_on() - datetime.timedelta(days=40)
    call_command(
        "generate_tax_registry", rows=20, out=str(uploaded), seed=1, published=published.isoformat()
    )
    call_command("import_tax_registry", str(uploaded), quiet=True, verbosity=0)

    call_command("load_demo", stdout=io.StringIO())

    assert current_snapshot().source_name == "BGMOPEN1.csv"


def test_a_demo_data_set_of_an_earlier_month_is_replaced_by_this_months(db, devca_dir, tmp_path):
    earlier = demo_registry_published_on() - datetime.timedelta(days=1)
    call_command(
        "import_tax_registry",
        str(demo_registry_dated(earlier, tmp_path)),
        quiet=True,
        verbosity=0,
    )

    call_command("load_demo", stdout=io.StringIO())

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
