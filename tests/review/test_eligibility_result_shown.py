"""Past the eligibility review, the application page's 資格審查 card says what was found, when
and by whom: it said only 「目前不在資格審查階段。」, so an operator or organiser opening an
approved application (the demo's AP115-I-0001) could not tell from the card that it had passed."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from aipower.applications.enums import ApplicationState as S
from aipower.review import services
from tests.conftest import verified_client

pytestmark = pytest.mark.integration


def _card(html):
    start = html.index('id="decide-title"')
    return html[start : html.index("</section>", start)]


def test_an_eligible_application_shows_the_result_date_and_operator(app_a, operator, organiser):
    at = timezone.make_aware(datetime.datetime(2026, 11, 17, 14, 52))
    services.decide_eligibility(app_a, S.ELIGIBLE, operator, now=at)
    client = verified_client(organiser)

    card = _card(client.get(reverse("review:application", args=[app_a.pk])).content.decode())
    client.cookies["django_language"] = "en"
    english = _card(client.get(reverse("review:application", args=[app_a.pk])).content.decode())

    assert f"資格審查結果：資格符合（115年11月17日 14:52，{operator.username}）" in card
    assert "目前不在資格審查階段" not in card
    assert f"Eligibility review: Eligible (2026-11-17 14:52, {operator.username})" in english


def test_an_ineligible_application_shows_the_reason(app_a, operator, organiser):
    services.decide_eligibility(app_a, S.INELIGIBLE, operator, reason="非依公司法設立之公司")

    card = _card(
        verified_client(organiser)
        .get(reverse("review:application", args=[app_a.pk]))
        .content.decode()
    )

    assert "資格審查結果：資格不符" in card
    assert "非依公司法設立之公司" in card
