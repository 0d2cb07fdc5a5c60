"""Browser: the operator uploads the tax-registration data set on the staff page and follows the
import's progress bar until the outcome (``registry.uploads``, ``import_progress.js``)."""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from aipower.devtools.staff import create_demo_staff
from aipower.registry import uploads
from aipower.registry.importer import Progress
from aipower.registry.models import ImportJob, Snapshot
from aipower.registry.services import DEMO_FIXTURE
from tests.e2e.accessibility import Accessibility
from tests.e2e.network import throttle_uploads
from tests.e2e.test_review_batch import staff_page


@pytest.fixture
def demo_staff(transactional_db, settings, tmp_path):
    settings.REGISTRY_UPLOADS_ROOT = tmp_path / "uploads"
    cache.clear()
    yield create_demo_staff()
    cache.clear()


def test_the_operator_uploads_the_data_set_and_sees_it_imported(browser, live_server, demo_staff):
    axe = Accessibility()
    page = staff_page(browser, live_server, "operator")
    page.goto(f"{live_server.url}/staff/registry/snapshots/")
    page.get_by_role("link", name="上傳稅籍資料").click()
    axe.check(page, "upload form")

    page.get_by_label("稅籍登記資料檔").set_input_files(str(DEMO_FIXTURE))
    page.get_by_label("略過格式錯誤的資料列").check()
    with page.expect_response(lambda r: r.request.method == "POST") as sent:
        page.get_by_role("button", name="上傳並匯入").click()

    # Sent by the upload script, whose redirect comes back as JSON for it to follow.
    assert sent.value.request.headers["x-upload-progress"] == "1"
    assert (sent.value.status, sent.value.headers["content-type"]) == (200, "application/json")
    expect(page).to_have_url(re.compile(r"/staff/registry/imports/\d+/$"))

    # The development task backend imports at once: the job's page shows the outcome.
    expect(page.locator("#import-text")).to_have_text(
        "已匯入 11 筆（略過 0 筆），新資料已取代使用中的資料。"
    )
    expect(page.locator("#import-bar")).to_have_attribute("value", "100")
    axe.check(page, "job finished")
    snapshot = Snapshot.objects.get(is_current=True)
    assert (snapshot.source_name, snapshot.row_count) == ("BGMOPEN1-demo.csv", 11)
    page.get_by_role("navigation", name="頁面路徑").get_by_role("link", name="上傳稅籍資料").click()
    expect(page.locator("#import-jobs tbody tr").first).to_contain_text("匯入完成")
    assert axe.violations == {}
    page.context.close()


def test_the_progress_bar_follows_a_running_import(browser, live_server, demo_staff, settings):
    settings.REGISTRY_UPLOADS_ROOT.mkdir(parents=True)
    job = ImportJob.objects.create(
        source_name="BGMOPEN1.csv",
        stored_name="0" * 32 + "/BGMOPEN1.csv",
        size=306_000_000,
        status=ImportJob.Status.RUNNING,
    )
    report = uploads.ProgressWriter(job)  # what the worker's importer calls
    report(Progress(rows=425_000, skipped=0, bytes_read=25, total_bytes=100, elapsed=4.0))
    axe = Accessibility()
    page = staff_page(browser, live_server, "operator")

    page.goto(f"{live_server.url}/staff/registry/imports/{job.pk}/")
    bar = page.locator("#import-bar")
    expect(bar).to_have_attribute("value", "25.0")
    expect(page.locator("#import-text")).to_have_text(
        "已處理 425,000 筆（25.0%），每秒約 106,250 筆，預估剩餘 12 秒。"
    )
    axe.check(page, "running")

    report(Progress(rows=1_275_000, skipped=0, bytes_read=75, total_bytes=100, elapsed=12.0))
    expect(page.locator("#import-text")).to_contain_text("已處理 1,275,000 筆（75.0%）")
    expect(bar).to_have_js_property("value", 75)

    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.SUCCEEDED, active=False, rows=1_700_000
    )
    # The page loads itself again to show the outcome.
    expect(page.locator("#import-text")).to_have_text(
        "已匯入 1,700,000 筆（略過 0 筆），新資料已取代使用中的資料。"
    )
    expect(page.locator("#import-progress")).not_to_have_attribute("data-polling", "")
    assert axe.violations == {}
    page.context.close()


def test_a_slow_upload_shows_its_progress_and_can_be_cancelled(
    browser, live_server, demo_staff, tmp_path
):
    from aipower.registry.synthetic import write_file

    big = write_file(tmp_path / "BGMOPEN1.csv", 6_000, seed=5)  # about 1 MB
    page = staff_page(browser, live_server, "operator")
    page.goto(f"{live_server.url}/staff/registry/imports/")
    # Chromium's own throttling: the upload goes at 64 KB/s, so it takes a while.
    throttle_uploads(page, 65_536)

    page.get_by_label("稅籍登記資料檔").set_input_files(str(big))
    page.get_by_role("button", name="上傳並匯入").click()

    box = page.locator(".upload-progress")
    expect(box).to_be_visible()
    expect(box.get_by_role("status")).to_contain_text("已上傳")
    expect(box.get_by_role("status")).to_contain_text("MB")
    expect(page.get_by_role("button", name="上傳並匯入")).to_be_disabled()
    box.get_by_role("button", name="取消上傳").click()

    expect(box.get_by_role("status")).to_have_text("已取消上傳，檔案沒有送出。")
    expect(page.get_by_role("button", name="上傳並匯入")).to_be_enabled()
    assert not ImportJob.objects.exists()
    page.context.close()


def test_a_refused_upload_shows_the_form_again_with_the_reason(
    browser, live_server, demo_staff, tmp_path
):
    wrong = tmp_path / "registry.txt"
    wrong.write_text("統一編號\n", encoding="utf-8")
    axe = Accessibility()
    page = staff_page(browser, live_server, "operator")
    page.goto(f"{live_server.url}/staff/registry/imports/")

    page.get_by_label("允許匯入較舊的資料集").check()
    page.get_by_label("稅籍登記資料檔").set_input_files(str(wrong))
    page.get_by_role("button", name="上傳並匯入").click()

    # The page the server sent back (400) replaces this one: the reason by the field, the
    # option still ticked, the file to be chosen again.
    expect(page.locator("#row-file")).to_contain_text(
        "請上傳 .csv 或 .zip 檔（registry.txt 不是）。"
    )
    expect(page.get_by_role("alert")).to_contain_text("稅籍登記資料檔")
    expect(page.get_by_label("允許匯入較舊的資料集")).to_be_checked()
    axe.check(page, "refused")
    assert axe.violations == {}
    assert not ImportJob.objects.exists()
    page.context.close()
