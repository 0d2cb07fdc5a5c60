"""A company the automatic pre-check finds not eligible (the registry's evidence, or the
operator's lists) can neither start nor submit an application; one the registry cannot verify
can (the operator checks it at the eligibility review)."""

import pytest
from django.urls import reverse

from aipower.applications import services
from aipower.applications.models import Application
from aipower.registry.services import import_demo_registry

from .conftest import begin_application, fill_application, make_company_user

pytestmark = pytest.mark.integration

MANUFACTURER = ("96865468", "木棉精密工業股份有限公司")  # demo registry: C (manufacturing)
BRANCH = ("75888073", "北港軟體股份有限公司台中分公司")
UNKNOWN = ("04595257", "示範智能股份有限公司")  # not in the demo registry


@pytest.fixture
def registry(open_call):
    import_demo_registry()
    return open_call


def client_for(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("company", [MANUFACTURER, BRANCH])
def test_apply_refuses_an_ineligible_company_with_the_reasons(registry, company):
    user = make_company_user(*company)

    response = begin_application(client_for(user))

    assert response.status_code == 403
    html = response.content.decode()
    assert "不符合申請資格" in html
    assert 'id="eligibility-verdict"' in html
    assert registry.service_email in html
    assert not Application.objects.exists()


def test_wizard_pages_refuse_an_ineligible_companys_draft(registry):
    user = make_company_user(*MANUFACTURER)
    draft = Application.objects.create(call=registry, company=user.company)

    response = client_for(user).get(reverse("applications:step", args=["category"]))

    assert response.status_code == 403
    assert Application.objects.get(pk=draft.pk).data == {}


def test_submit_is_refused_for_an_ineligible_company_and_the_draft_kept(registry):
    user = make_company_user(*MANUFACTURER)
    app = fill_application(services.start_application(user.company, registry), user, "training")

    with pytest.raises(services.SubmissionRefused) as refused:
        services.submit_application(app, user)

    assert "不符合申請資格" in str(refused.value.message)
    app.refresh_from_db()
    assert (app.is_submitted, app.number) == (False, None)


def test_a_company_the_registry_cannot_verify_may_apply(registry):
    user = make_company_user(*UNKNOWN)

    response = begin_application(client_for(user))

    assert response.status_code == 302
    assert Application.objects.filter(company=user.company).count() == 1


def test_a_company_barred_after_a_violation_cannot_apply(registry):
    import datetime

    from django.utils import timezone

    from aipower.registry.enums import ListKind
    from aipower.registry.models import ListEntry

    user = make_company_user(*UNKNOWN)
    ListEntry.objects.create(
        ubn=UNKNOWN[0],
        kind=ListKind.BARRED,
        reason="違反使用規範第 3 點",
        until=timezone.localdate() + datetime.timedelta(days=200),
    )

    response = begin_application(client_for(user))

    assert response.status_code == 403
    assert not Application.objects.exists()
