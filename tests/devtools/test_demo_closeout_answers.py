"""The demo's approved AP115-T-0001 (北港軟體) reads back as a complete, consented submission:
every required answer filled, 個資同意, the declaration and both pledges 是, and its version
fingerprinted as a real submission's (/apply/<pk>/view/, the staff page)."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from aipower.accounts.models import User
from aipower.applications import flow, services
from aipower.applications.models import Application
from aipower.devtools.demo_closeout import CLOSEOUT_UBN, load_demo_closeout
from aipower.review.views import version_sections

pytestmark = pytest.mark.integration


@pytest.fixture
def closeout(db):
    call_command("load_demo", verbosity=0)
    return Application.objects.get(company__ubn=CLOSEOUT_UBN, call__year=115)


def company_client(application):
    user = User.objects.filter(company=application.company).first() or User.objects.create_user(
        username="beigang", role="company", company=application.company
    )
    client = Client()
    client.force_login(user)
    return client


def read_back(application, client):
    response = client.get(reverse("applications:view", args=[application.pk]))
    assert response.status_code == 200
    return response.context["sections"]


def blank_required_answers(application, sections):
    blank = []
    for section in sections:
        form = section["step"].full_form(application)
        required = {str(field.label) for field in form.fields.values() if field.required}
        for row in section["rows"]:
            if "label" in row and str(row["label"]) in required and not row["value"]:
                blank.append(f"{section['step'].identifier}: {row['label']}")
    return blank


def test_closeout_application_reads_back_with_every_required_answer(closeout):
    sections = read_back(closeout, company_client(closeout))

    assert [s["step"].identifier for s in sections] == [
        "profile",
        "declaration",
        "training-1",
        "training-2",
        "training-3",
        "training-4",
        "pledge",
    ]
    assert blank_required_answers(closeout, sections) == []
    assert blank_required_answers(closeout, version_sections(closeout)[1]) == []
    assert flow.first_incomplete_step(closeout) is None
    profile = {str(row["label"]): row["value"] for row in sections[0]["rows"] if "label" in row}
    assert profile["設立登記日期"] == "101年08月20日"
    assert profile["實收資本額"] == "新臺幣 80,000,000 元"
    assert profile["員工數"] == "42"
    assert profile["通訊地址"] == "臺北市內湖區瑞光里瑞光路５１３巷２２號５樓"
    assert profile["行業分類"].startswith("J62")


def test_closeout_application_consents_read_yes(closeout):
    sections = {s["step"].identifier: s for s in read_back(closeout, company_client(closeout))}

    def answers(identifier):
        return [row["value"] for row in sections[identifier]["rows"] if "label" in row]

    assert answers("profile")[-1] == "是"  # 個資同意, after the profile's answers
    assert answers("declaration") == ["是"]
    assert answers("pledge") == ["是", "是"]
    assert closeout.section("profile")["consent_at"]
    assert closeout.section("declaration")["agreed_at"]
    assert closeout.section("pledge")["at"]


def test_closeout_application_has_a_fingerprinted_version_as_a_submission(closeout):
    (version,) = closeout.versions.all()

    assert closeout.fingerprint == services.fingerprint(services.submission_snapshot(closeout))
    assert len(closeout.fingerprint) == 64
    assert (version.number, version.fingerprint) == (1, closeout.fingerprint)
    assert version.data == services.submission_snapshot(closeout)
    assert version.created_at == closeout.submitted_at
    assert version_sections(closeout)[0] == version
    page = company_client(closeout).get(reverse("applications:view", args=[closeout.pk]))
    assert f'<code class="fingerprint">{closeout.fingerprint}</code>' in page.content.decode()


def test_closeout_answers_are_filled_once(closeout):
    fingerprint = closeout.fingerprint

    load_demo_closeout()

    closeout.refresh_from_db()
    assert closeout.fingerprint == fingerprint
    assert closeout.versions.count() == 1
