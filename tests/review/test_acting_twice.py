"""The same eligibility decision or supplement request sent twice — the back button, a second
click, or two operators on the same application at once — is done once, and the second is told
who did it and when instead of 「不能改為」 its own target."""

import re

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse

from aipower.core.models import AuditEntry
from aipower.review.models import SupplementRequest

from .conftest import make_staff, verified_client

pytestmark = pytest.mark.integration

SUPPLEMENT = {
    "outcome": "supplement",
    "reason": "請補充資料集說明",
    "steps": ["training-2"],
    "deadline": "2099-01-01T09:00",
}


def said(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_supplement_request_sent_twice_asks_once(app_a, operator):
    client = verified_client(operator)
    url = reverse("review:application_eligibility", args=[app_a.pk])
    client.get(client.post(url, SUPPLEMENT)["Location"])
    mails = len(mail.outbox)

    again = client.post(url, SUPPLEMENT)

    assert again.status_code == 302
    [message] = said(again)
    assert re.fullmatch(
        r"申請案已於 \d+年\d\d月\d\d日 \d\d:\d\d:\d\d 由 op 改為「待補件」，本次未重複處理",
        message,
    )
    assert SupplementRequest.objects.count() == 1
    assert AuditEntry.objects.filter(action="application.transition").count() == 2
    assert len(mail.outbox) == mails


def test_a_second_operator_deciding_the_same_is_told_who_decided(app_a, operator):
    other = make_staff("op2", "operator")
    first, second = verified_client(operator), verified_client(other)
    url = reverse("review:application_eligibility", args=[app_a.pk])
    first.post(url, {"outcome": "eligible", "reason": ""})

    again = second.post(url, {"outcome": "eligible", "reason": ""})
    page = second.get(again["Location"])

    [message] = said(page)
    assert "由 op 改為「資格符合」，本次未重複處理" in message
    assert AuditEntry.objects.filter(action="application.transition").count() == 2
