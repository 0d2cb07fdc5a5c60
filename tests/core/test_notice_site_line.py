"""Every notice mailed ends with the site's address when it is configured (``SITE_URL``), in
the notice's language: a reviewer told 「請登入工作人員系統」 or a company told to check its
award otherwise had to find the site themselves."""

import pytest
from django.core import checks

from aipower.core import notices
from aipower.core.checks import site_url

pytestmark = pytest.mark.integration

URL = "https://aipower.example.gov.tw"


def test_a_notice_ends_with_the_site_in_its_language(db, settings):
    settings.SITE_URL = URL

    _subject, zh = notices.render("points_used_80", {"company": "山嵐資訊有限公司"}, "zh")
    _subject, en = notices.render("points_used_80", {"company": "山嵐資訊有限公司"}, "en")

    assert zh.endswith(f"\n\nAI算力平台：{URL}\n")
    assert en.endswith(f"\n\nAI Compute Platform: {URL}\n")
    assert zh.count(URL) == en.count(URL) == 1


def test_a_bilingual_notice_names_the_site_in_each_language(db, settings):
    settings.SITE_URL = URL

    _subject, body = notices.bilingual("expired", lambda language: {"company": "山嵐"})
    chinese, english = body.split("----- English -----")

    assert chinese.count(URL) == english.count(URL) == 1
    assert f"AI算力平台：{URL}" in chinese
    assert f"AI Compute Platform: {URL}" in english


def test_without_a_site_address_a_notice_is_as_its_template(db, settings):
    settings.SITE_URL = ""

    _subject, body = notices.render("points_used_80", {"company": "山嵐"}, "zh")

    assert "AI算力平台：" not in body
    assert "http" not in body


def test_the_deploy_check_warns_without_the_site_address(settings):
    settings.SITE_URL = ""
    (warning,) = site_url(None)
    settings.SITE_URL = URL

    assert (warning.level, warning.id) == (checks.WARNING, "aipower.W002")
    assert site_url(None) == []
