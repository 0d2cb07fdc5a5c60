"""A job's Slurm account names its award in any case: Slurm keeps account names in lower case
(sacctmgr stores them so), so 'AIP115-04595257' is the account 'aip115-04595257' — on import, on
the ingest API and in the export, as cluster names are (migration 0012)."""

import importlib
import io
import json

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from aipower.grants import gpu, services
from aipower.grants.models import Allowance, GpuJob

from .conftest import make_award

pytestmark = pytest.mark.integration

migration = importlib.import_module("aipower.grants.migrations.0013_cluster_accounts_lower_case")

ACCOUNT = "aip115-04595257"
SHOUTED = "AIP115-04595257"


@pytest.fixture
def allowance(gpu_allowance):
    return gpu_allowance


def _used(allowance):
    return Allowance.objects.get(pk=allowance.pk).used_units


def test_import_sacct_charges_an_account_written_in_upper_case(allowance, tmp_path):
    path = tmp_path / "sacct.txt"
    path.write_text(
        "JobID|Account|AllocTRES|Start|End|State\n"
        f"3001|{SHOUTED}|gres/gpu=2|2026-11-20T09:00:00|2026-11-20T10:00:00|COMPLETED\n"
        f"3002|Aip115-04595257|gres/gpu=1|2026-11-20T09:00:00|2026-11-20T10:00:00|COMPLETED\n"
    )
    out = io.StringIO()

    call_command(
        "import_sacct", str(path), "--cluster", "taiwania",
        "--now", "2026-11-21T10:00:00+08:00", stdout=out, stderr=io.StringIO(),
    )  # fmt: skip

    assert out.getvalue() == "2 jobs, 10800 GPU-seconds charged, 0 with an unknown account\n"
    assert _used(allowance) == 10_800
    assert set(GpuJob.objects.values_list("account", "allowance")) == {(ACCOUNT, allowance.pk)}


def test_ingest_api_charges_an_account_written_in_upper_case(client, allowance):
    token = gpu.issue_token("taiwania")
    job = {
        "job_id": "3003",
        "account": SHOUTED,
        "gpus": 4,
        "start": "2026-11-20T09:00:00+08:00",
        "end": "2026-11-20T10:00:00+08:00",
        "state": "COMPLETED",
    }

    response = client.post(
        reverse("grants:api-gpu-jobs"),
        data=json.dumps([job]),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )

    assert response.status_code == 200
    assert response.json()["jobs"][0]["status"] == "charged"
    assert _used(allowance) == 14_400
    assert GpuJob.objects.get().account == ACCOUNT


def test_a_second_spelling_of_an_account_is_refused_and_the_export_names_it_in_lower_case(
    allowance,
):
    other = services.open_allowance(
        make_award(allowance.award.category.call, "10458575", "training")
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        Allowance.objects.filter(pk=other.pk).update(account=SHOUTED)

    assert [a["account"] for a in gpu.cluster_accounts()["active"]] == [ACCOUNT, other.account]


def test_migration_lowers_stored_accounts_and_keeps_them_apart(call_115):
    """Accounts stored with capitals become lower case; one whose lower case another award
    holds gets the award's number after it, as a second award of the same account does
    (``services.open_allowance``); job records' accounts too."""
    first = services.open_allowance(make_award(call_115, "04595257", "training"))
    second = services.open_allowance(make_award(call_115, "10458575", "training"))
    clash = services.open_allowance(make_award(call_115, "52880483", "training"))
    # What the index now refuses, as a database from before it may hold (the test's
    # transaction, rolled back after it, brings the index back).
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX grants_allowance_account_ci")
    Allowance.objects.filter(pk=first.pk).update(account="AIP115-04595257")
    Allowance.objects.filter(pk=clash.pk).update(account="Aip115-10458575")
    GpuJob.objects.create(cluster="taiwania", job_id="1", account="AIP115-X", gpus=1)

    migration.lower_case(apps, None)

    accounts = dict(Allowance.objects.values_list("pk", "account"))
    assert accounts == {
        first.pk: "aip115-04595257",
        second.pk: "aip115-10458575",
        clash.pk: f"aip115-10458575-{clash.award_id}",
    }
    assert GpuJob.objects.get().account == "aip115-x"
