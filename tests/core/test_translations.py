"""Every user-facing string has an English translation.

The catalogues are regenerated from the source into a temporary copy (so the working tree is not
touched) and must contain no untranslated or fuzzy entries.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

SRC = Path(__file__).resolve().parents[2] / "src" / "aipower"
APPS_WITH_UI = [
    "core",
    "calls",
    "registry",
    "accounts",
    "applications",
    "public",
    "review",
    "grants",
    "gateway",
    "compliance",
    "deliverables",
    "privacy",
    "followup",
]


def _untranslated(po_file):
    result = subprocess.run(
        ["msgattrib", "--untranslated", "--no-obsolete", str(po_file)],
        capture_output=True,
        text=True,
        check=True,
    )
    fuzzy = subprocess.run(
        ["msgattrib", "--only-fuzzy", "--no-obsolete", str(po_file)],
        capture_output=True,
        text=True,
        check=True,
    )
    entries = []
    for output in (result.stdout, fuzzy.stdout):
        for block in output.split("\n\n"):
            if 'msgid ""' in block.splitlines()[0:2] and "Content-Type" in block:
                continue
            lines = [line for line in block.splitlines() if line.startswith("msgid ")]
            entries.extend(line[6:] for line in lines if line != 'msgid ""')
    return entries


@pytest.mark.skipif(shutil.which("msgattrib") is None, reason="gettext tools are not installed")
@pytest.mark.parametrize("app", APPS_WITH_UI)
def test_every_string_of_the_app_has_an_english_translation(app, tmp_path):
    if not (SRC / app / "locale").exists():
        pytest.fail(f"{app} has no English catalogue (src/aipower/{app}/locale/en)")
    copy = tmp_path / "aipower"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    manage = Path(__file__).resolve().parents[2] / "manage.py"
    subprocess.run(
        [sys.executable, str(manage), "makemessages", "-l", "en", "--no-obsolete", "-v", "0"],
        cwd=copy / app,
        check=True,
        capture_output=True,
    )
    missing = _untranslated(copy / app / "locale" / "en" / "LC_MESSAGES" / "django.po")
    assert missing == [], f"untranslated in {app}: {missing[:20]}"


def test_the_application_record_is_singular_its_section_plural_in_english():
    from django.apps import apps
    from django.utils import translation

    from aipower.applications.models import Application, SentMail

    with translation.override("en"):
        names = (
            str(Application._meta.verbose_name),
            str(Application._meta.verbose_name_plural),
            str(apps.get_app_config("applications").verbose_name),
            str(SentMail._meta.get_field("application").verbose_name),
        )

    assert names == ("Application", "Applications", "Applications", "Application")
