"""Replacing the tax-registration data set changes every company's eligibility pre-check: the
audit log says when it happened, from which file, who asked for it (the operator whose upload
the worker imported, or the server's command line), and which data set it replaced; an
uploaded file the import refused is there too, with the reason."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from aipower.accounts.enums import Role
from aipower.core.audit_labels import action_label
from aipower.core.models import AuditEntry
from aipower.registry.models import ImportJob
from aipower.registry.services import DEMO_FIXTURE, import_demo_registry
from tests.conftest import verified_client

from .conftest import demo_rows

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def uploads_root(settings, tmp_path):
    settings.REGISTRY_UPLOADS_ROOT = tmp_path / "uploads"


@pytest.fixture
def operator(db, django_user_model):
    user = django_user_model.objects.create_user("op", password="x" * 16, role=Role.OPERATOR)
    return user, verified_client(user)


def test_an_uploaded_data_set_replacing_the_current_one_is_audited(operator):
    user, client = operator
    before = import_demo_registry().snapshot

    client.post(
        reverse("registry:imports"),
        {
            "file": SimpleUploadedFile("BGMOPEN1.csv", DEMO_FIXTURE.read_bytes()),
            "allow_older": "on",
        },
    )

    job = ImportJob.objects.get()
    entry = AuditEntry.objects.get(action="registry.imported")
    assert (entry.actor, entry.object_type, entry.object_id) == (
        user,
        "registry.Snapshot",
        str(job.snapshot_id),
    )
    assert entry.data == {
        "file": "BGMOPEN1.csv",
        "job": job.pk,
        "published_on": job.snapshot.published_on.isoformat(),
        "rows": 11,
        "skipped": 0,
        "replaced": before.pk,
        "via": "upload",
    }


def test_an_uploaded_data_set_the_import_refused_is_audited_with_the_reason(operator, csv_file):
    user, client = operator
    bad = csv_file(demo_rows(), header=["統一編號", "營業人名稱"])

    client.post(
        reverse("registry:imports"),
        {"file": SimpleUploadedFile("BGMOPEN1.csv", bad.read_bytes())},
    )

    job = ImportJob.objects.get()
    entry = AuditEntry.objects.get(action="registry.import_failed")
    assert (entry.actor, entry.object_type, entry.object_id) == (
        user,
        "registry.ImportJob",
        str(job.pk),
    )
    assert entry.data["file"] == "BGMOPEN1.csv"
    assert entry.data["line"] == job.error_line == 1
    assert entry.data["reason"] == job.error
    assert not AuditEntry.objects.filter(action="registry.imported").exists()


def test_a_data_set_imported_on_the_command_line_is_audited(db, tmp_path):
    with open(tmp_path / "out.txt", "w") as out:
        call_command("import_tax_registry", str(DEMO_FIXTURE), "--quiet", stdout=out)

    entry = AuditEntry.objects.get(action="registry.imported")
    assert entry.actor is None
    assert entry.object_type == "registry.Snapshot"
    assert (entry.data["via"], entry.data["file"], entry.data["rows"], entry.data["replaced"]) == (
        "manage.py import_tax_registry",
        DEMO_FIXTURE.name,
        11,
        None,
    )


def test_the_import_actions_have_labels():
    assert str(action_label("registry.imported")) == "匯入稅籍資料（取代使用中的資料）"
    assert str(action_label("registry.import_failed")) == "稅籍資料檔匯入失敗"
