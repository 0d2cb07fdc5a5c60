"""The submission receipt comes from the operator-editable template ``application_submitted``,
in the language the applicant submitted in."""

import pytest
from django.utils import timezone, translation

from aipower.applications import services
from aipower.applications.models import SentMail
from aipower.core.i18n import chinese_numeral
from tests.core.notice_helpers import edit_template

pytestmark = pytest.mark.integration


@pytest.fixture
def edited_receipt(db):
    return edit_template(
        "application_submitted",
        subject_zh="收執 {{ number }}",
        subject_en="Receipt {{ number }}",
        body_zh="{{ company }}（{{ ubn }}）{{ category }} 第{{ batch }}梯次 {{ fingerprint }}",
        body_en="{{ company }} ({{ ubn }}) {{ category }} batch {{ batch }} {{ fingerprint }}",
    )


@pytest.mark.parametrize(
    ("language", "subject", "body"),
    [
        (
            "zh-hant",
            "收執 AP115-T-0001",
            "示範智能股份有限公司（04595257）模型訓練類 第{chinese}梯次 {fp}",
        ),
        (
            "en",
            "Receipt AP115-T-0001",
            "示範智能股份有限公司 (04595257) Model training batch {batch} {fp}",
        ),
    ],
)
def test_receipt_uses_the_edited_template(
    edited_receipt, complete_training, company_user, language, subject, body
):
    with translation.override(language):
        app = services.submit_application(complete_training, company_user, timezone.now())

    sent = SentMail.objects.get()
    assert (sent.subject, sent.body) == (
        subject,
        body.format(
            batch=app.batch.number, chinese=chinese_numeral(app.batch.number), fp=app.fingerprint
        ),
    )
