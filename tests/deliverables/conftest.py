"""Fixtures for the deliverables tests: awards whose period has ended, sample files of each
accepted type, staff of each role, and a private storage root of the test's own."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from aipower.accounts.models import User
from aipower.calls.enums import CategoryKind
from aipower.grants import services as grants
from tests.conftest import verified_client
from tests.grants.conftest import make_award

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64


def office_zip(main_part):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main_part, "<xml/>")
    return buffer.getvalue()


def upload(name, content=None):
    """An uploaded file whose bytes match its extension unless ``content`` says otherwise."""
    if content is None:
        extension = name.rsplit(".", 1)[-1].lower()
        content = {
            "pdf": PDF,
            "docx": office_zip("word/document.xml"),
            "pptx": office_zip("ppt/presentation.xml"),
            "mp4": MP4,
        }[extension]
    return SimpleUploadedFile(name, content)


def ended_allowance(call, ubn, kind, *, days_ago=5, length=91):
    """An award (and its allowance) whose period ended ``days_ago`` days before today."""
    today = timezone.localdate()
    ends_on = today - datetime.timedelta(days=days_ago)
    award = make_award(
        call, ubn, kind, starts_on=ends_on - datetime.timedelta(days=length), ends_on=ends_on
    )
    return grants.open_allowance(award)


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.DELIVERABLES_ROOT = tmp_path / "deliverables"
    return settings.DELIVERABLES_ROOT


@pytest.fixture
def inference_ended(call_115):
    return ended_allowance(call_115, "12345675", CategoryKind.INFERENCE)


@pytest.fixture
def training_ended(call_115):
    return ended_allowance(call_115, "04595257", CategoryKind.TRAINING)


@pytest.fixture
def company_user():
    def make(company):
        user, _ = User.objects.get_or_create(
            username=f"company-{company.ubn}", defaults={"role": "company", "company": company}
        )
        return user

    return make


@pytest.fixture
def staff(db):
    """A verified client of a staff member of ``role``, and the user."""

    def make(role):
        user = User.objects.create_user(username=f"{role}-1", role=role, password="x" * 12)
        return verified_client(user), user

    return make
