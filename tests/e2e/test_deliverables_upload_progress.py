"""Browser: a deliverable's file goes up with a progress bar (core/js/upload.js) — on a slow
line the box shows what has been sent — and the page then shows it handed in, with the message."""

import pytest
from playwright.sync_api import expect

from aipower.calls.enums import CategoryKind
from aipower.deliverables.models import Submission
from tests.deliverables.conftest import PDF, ended_allowance
from tests.e2e.network import throttle_uploads
from tests.e2e.test_deliverables import _company_session

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_slow_upload_shows_its_progress_then_the_submission(
    page, live_server, call_115, settings, tmp_path
):
    settings.DELIVERABLES_ROOT = tmp_path / "deliverables"
    allowance = ended_allowance(call_115, "04595257", CategoryKind.TRAINING, days_ago=5)
    award = allowance.award_id
    _company_session(page, live_server, allowance.company)
    page.goto(f"{live_server.url}/deliverables/")
    throttle_uploads(page, 262_144)
    report = page.locator(f"#item-{award}-report")
    big_pdf = PDF + b"%" + b"0" * 1_200_000 + b"\n%%EOF\n"  # about 1.2 MB: several seconds
    report.get_by_label("上傳檔案").set_input_files(
        {"name": "結案報告.pdf", "mimeType": "application/pdf", "buffer": big_pdf}
    )

    report.get_by_role("button", name="繳交結案報告").click()

    status = report.locator(".upload-progress").get_by_role("status")
    expect(status).to_contain_text("已上傳")
    expect(status).to_contain_text("/ 1.1 MB")
    expect(page.locator(".messages")).to_contain_text("已收到「結案報告」", timeout=30_000)
    expect(page.locator(f"#item-{award}-report")).to_contain_text("結案報告.pdf")
    assert Submission.objects.filter(award_id=award, item="report").count() == 1
