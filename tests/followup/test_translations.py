"""Every user-facing string of the follow-up app has an English translation (the check of
tests/core/test_translations.py, for this app until the lead adds it to APPS_WITH_UI)."""

import shutil

import pytest

from tests.core import test_translations as core_translations

pytestmark = pytest.mark.integration


@pytest.mark.skipif(shutil.which("msgattrib") is None, reason="gettext tools are not installed")
def test_every_followup_string_has_an_english_translation(tmp_path):
    core_translations.test_every_string_of_the_app_has_an_english_translation("followup", tmp_path)
