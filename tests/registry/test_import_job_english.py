"""The registry import's page in English: its options and its progress label in English
punctuation, and nothing left in Chinese."""

import pytest
from django.urls import reverse

from aipower.registry.models import ImportJob
from tests.english_text import chinese_left
from tests.registry.test_uploads import operator, uploads_root  # noqa: F401 (fixtures)

pytestmark = pytest.mark.integration


def _job():
    return ImportJob.objects.create(
        source_name="BGMOPEN1.csv",
        stored_name="0" * 32 + "/BGMOPEN1.csv",
        size=1000,
        status=ImportJob.Status.RUNNING,
        skip_bad_rows=True,
        allow_older=True,
    )


def test_import_page_in_english_has_no_chinese_punctuation_left(operator):  # noqa: F811
    user, client = operator
    client.cookies["django_language"] = "en"
    job = _job()

    page = client.get(reverse("registry:import_job", args=[job.pk])).content.decode()

    assert chinese_left(page, allowed=[user.get_username()]) == []
    assert '<span id="import-bar-label">Import progress</span>: <strong' in page


def test_import_page_in_chinese_keeps_its_punctuation(operator):  # noqa: F811
    _user, client = operator
    job = _job()

    page = client.get(reverse("registry:import_job", args=[job.pk])).content.decode()

    assert '<span id="import-bar-label">匯入進度</span>：<strong' in page
    assert "略過格式錯誤的資料列；允許匯入較舊的資料集" in page
