"""Every user-facing string has an English translation.

The catalogues are regenerated from the source into a temporary copy (so the working tree is not
touched) and must contain no untranslated or fuzzy entries.
"""

import ast
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


def _entries(po_file):
    """(context, msgid) → msgstr of a catalogue's singular entries (obsolete ones left out)."""
    entries, entry, field = {}, {}, None

    def done():
        if entry.get("msgid") and "msgstr" in entry:
            entries[(entry.get("msgctxt"), entry["msgid"])] = entry["msgstr"]

    for line in [*po_file.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            done()
            entry, field = {}, None
        elif line.startswith("#"):
            continue
        elif line.startswith('"') and field:
            entry[field] += ast.literal_eval(line)
        else:
            field, _space, value = line.partition(" ")
            entry[field] = ast.literal_eval(value)
    return entries


def test_a_string_reads_the_same_in_english_in_every_app():
    """Django merges the apps' catalogues and the first app in INSTALLED_APPS wins: a string
    translated differently in two apps would read as the winner's everywhere, whatever the
    other app meant. A string that must read differently needs a context (pgettext)."""
    seen, differing = {}, []
    for app in APPS_WITH_UI:
        po_file = SRC / app / "locale" / "en" / "LC_MESSAGES" / "django.po"
        if not po_file.exists():
            continue
        for key, text in _entries(po_file).items():
            if not text:
                continue
            first = seen.setdefault(key, (app, text))
            if first[1] != text:
                differing.append(f"{key[1]!r}: {first[0]} {first[1]!r}, {app} {text!r}")

    assert differing == []


# Terms of the programme that must read the same in English wherever they appear ("unified
# business number"), with the wordings that crept in beside them.
STRAY_NAMES = {"統一編號": ["business ID"]}


def test_a_programme_term_has_one_english_name():
    """統一編號 was "unified business number" on forms and "business ID number" in some
    messages: an applicant reading both would wonder whether they are two numbers."""
    stray = []
    for app in APPS_WITH_UI:
        po_file = SRC / app / "locale" / "en" / "LC_MESSAGES" / "django.po"
        if not po_file.exists():
            continue
        for key, text in _entries(po_file).items():
            for term, others in STRAY_NAMES.items():
                if term not in key[1]:
                    continue
                stray += [f"{app}: {text!r}" for other in others if other.lower() in text.lower()]
    assert stray == []
