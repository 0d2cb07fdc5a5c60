"""The registry's staff pages lead back by a breadcrumb (稅籍資料與管制名單 › …), as the other
staff sections do; the import job's page led back only to the upload form, by a lone link."""

import re

import pytest
from django.urls import reverse

from aipower.accounts.enums import Role
from aipower.registry.models import ImportJob
from aipower.registry.services import import_demo_registry
from tests.conftest import verified_client

pytestmark = pytest.mark.integration

ROOT = ("/staff/registry/companies/", "稅籍資料與管制名單")
SNAPSHOTS = ("/staff/registry/snapshots/", "稅籍資料匯入狀態")


def trail(html):
    nav = re.search(r'<nav aria-label="頁面路徑" class="breadcrumb-nav">(.*?)</nav>', html, re.S)
    assert nav, "no breadcrumb"
    return re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', nav.group(1))


@pytest.fixture
def client(db, django_user_model):
    user = django_user_model.objects.create_user("op", password="x" * 16, role=Role.OPERATOR)
    return verified_client(user)


def test_each_registry_page_has_its_trail(client):
    import_demo_registry()
    job = ImportJob.objects.create(
        source_name="BGMOPEN1.csv", size=1, status=ImportJob.Status.FAILED, active=False
    )

    def page(url):
        return client.get(url).content.decode()

    assert trail(page(reverse("registry:company", args=["84700087"]))) == [ROOT]
    assert trail(page(reverse("registry:snapshots"))) == [ROOT]
    assert trail(page(reverse("registry:imports"))) == [ROOT, SNAPSHOTS]
    assert trail(page(reverse("registry:import_job", args=[job.pk]))) == [
        ROOT,
        SNAPSHOTS,
        ("/staff/registry/imports/", "上傳稅籍資料"),
    ]
