"""The mail closing a personal-data request comes from the operator-editable templates
(completed, refused)."""

import pytest

from aipower.privacy import services
from aipower.privacy.enums import Kind, State
from tests.core.notice_helpers import bilingual_text, edit_template

from .test_services import file

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    ("key", "state", "zh_state", "en_state"),
    [
        ("privacy_completed", State.COMPLETED, "已完成", "Completed"),
        ("privacy_refused", State.REFUSED, "不予受理", "Not accepted"),
    ],
)
def test_closing_mail_uses_the_edited_template(
    application, company, operator, key, state, zh_state, en_state
):
    edit_template(
        key,
        subject_zh="請求 {{ reference }}：{{ state }}",
        subject_en="Request {{ reference }}: {{ state }}",
        body_zh="{{ name }}，{{ outcome }}",
        body_en="{{ name }}, {{ outcome }}",
    )
    data_request = file(company, Kind.QUERY)
    services.change_state(data_request, State.IN_PROGRESS, by=operator)

    services.change_state(data_request, state, note="說明", by=operator)

    reference = data_request.reference
    sent = data_request.events.get(to_state=state).mail
    assert (sent.subject, sent.body) == bilingual_text(
        f"請求 {reference}：{zh_state}",
        f"Request {reference}: {en_state}",
        "林主持，說明",
        "林主持, 說明",
    )
