"""The mail closing a personal-data request names the programme's 聯繫窗口 (申請客服信箱 and
申請諮詢專線) where it tells the data subject whom to ask; it said 「請洽申請客服信箱。」
without the address."""

import pytest

from aipower.calls.services import current_call
from aipower.privacy import services
from aipower.privacy.enums import Kind, State

from .test_services import file

pytestmark = pytest.mark.integration


def test_closing_mail_names_the_service_mailbox_and_line(application, company, operator):
    data_request = file(company, Kind.QUERY)
    services.change_state(data_request, State.IN_PROGRESS, by=operator)

    services.change_state(data_request, State.COMPLETED, note="已提供查詢結果", by=operator)

    call = current_call()
    body = data_request.events.get(to_state=State.COMPLETED).mail.body
    zh, en = body.split("----- English -----")
    assert (
        f"如有疑問，請洽申請客服信箱 {call.service_email} 或申請諮詢專線 {call.service_phone_zh}。"
    ) in zh
    assert f"For questions, write to {call.service_email} or call {call.service_phone_en}." in en
