"""An accepted request to stop the use of one's personal data: that contact is no longer
mailed (``applications.services.contact_emails``, through the ``hooks.withheld_addresses`` seam);
an open or refused request changes nothing."""

import pytest

from aipower.applications.services import contact_emails
from aipower.privacy import services
from aipower.privacy.enums import Kind, Person, State

pytestmark = pytest.mark.integration


def stop_request(company, email, by):
    return services.file_request(
        company,
        kind=Kind.STOP,
        person=Person.CONTACT,
        requester_name="陳聯絡",
        requester_email=email,
        details="請停止利用我的電子郵件。",
        by=by,
    )


def test_an_accepted_stop_request_withholds_the_address(application, company, operator):
    data_request = stop_request(company, "CONTACT@example.com", by=None)
    services.change_state(data_request, State.IN_PROGRESS, by=operator)
    services.change_state(data_request, State.COMPLETED, note="同意停止利用。", by=operator)

    assert contact_emails(application) == ["pi@example.com"]


def test_an_open_or_refused_stop_request_withholds_nothing(application, company, operator):
    open_request = stop_request(company, "contact@example.com", by=None)
    refused = stop_request(company, "pi@example.com", by=None)
    services.change_state(refused, State.REFUSED, note="計畫追蹤期間仍須聯繫。", by=operator)

    assert open_request.state == State.RECEIVED
    assert contact_emails(application) == ["pi@example.com", "contact@example.com"]


def test_another_companys_stop_request_does_not_reach_this_company(
    application, other_company, operator
):
    data_request = stop_request(other_company, "contact@example.com", by=None)
    services.change_state(data_request, State.IN_PROGRESS, by=operator)
    services.change_state(data_request, State.COMPLETED, note="同意停止利用。", by=operator)

    assert contact_emails(application) == ["pi@example.com", "contact@example.com"]
