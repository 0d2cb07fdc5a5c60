"""The receipt mailed to an applicant who submitted in English writes its dates the English way
(ISO), as the receipt page does; it wrote the submission time and the planned review date in
民國 (「115年05月01日」) inside the English text."""

import pytest
from django.core import mail
from django.utils import timezone, translation

from aipower.applications import services
from aipower.core.roc import format_roc_date

pytestmark = pytest.mark.integration


def test_english_receipt_mail_writes_dates_in_iso(complete_training, company_user):
    now = timezone.now()

    with translation.override("en"):
        app = services.submit_application(complete_training, company_user, now)

    body = mail.outbox[-1].body
    sent = timezone.localtime(now)
    assert f"Submitted at: {sent:%Y-%m-%d %H:%M:%S} (Taipei time)" in body
    review = app.batch.review_date.isoformat()
    assert f"Review batch: Batch {app.batch.number} (planned review date {review})" in body
    assert "年" not in body


def test_zh_hant_receipt_mail_keeps_roc_dates(complete_training, company_user):
    now = timezone.now()

    with translation.override("zh-hant"):
        app = services.submit_application(complete_training, company_user, now)

    body = mail.outbox[-1].body
    assert f"送出時間：{services.format_taipei(now)}（臺北時間）" in body
    assert f"（預計審查日 {format_roc_date(app.batch.review_date)}）" in body
