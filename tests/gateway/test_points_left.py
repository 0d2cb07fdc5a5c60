"""A request the points left cannot cover is told so: it was told 「點數已用罄，或不在使用期間
內」 while the usage page showed points left and the period running, and the developer looked
for the fault there. Points used up to the last are still told they are used up."""

import openai
import pytest

from aipower.grants.models import Allowance

from .conftest import allowance_of

pytestmark = pytest.mark.integration

MESSAGES = [{"role": "user", "content": "hello there"}]


def refusal(client, model_id, **extra):
    with pytest.raises(openai.RateLimitError) as excinfo:
        client.chat.completions.create(model=model_id, messages=MESSAGES, **extra)
    assert excinfo.value.code == "insufficient_quota"
    assert excinfo.value.type == "insufficient_quota"
    return excinfo.value.body["message"]


def test_a_request_larger_than_what_is_left_is_told_so(client, model_id, award):
    from aipower.gateway import errors

    Allowance.objects.filter(award=award).update(granted_units=30)  # the prompt's bound is 38

    message = refusal(client, model_id)

    assert message == errors.too_little_left().message
    assert message.startswith("剩餘點數不足以處理此請求")
    assert allowance_of(award).reserved_units == 0


def test_points_used_up_are_told_they_are_used_up(client, model_id, award):
    from aipower.gateway import errors

    Allowance.objects.filter(award=award).update(granted_units=1000, used_units=1000)

    assert refusal(client, model_id) == errors.insufficient_quota().message


def test_the_message_in_english():
    from django.utils import translation

    from aipower.gateway import errors

    with translation.override("en"):
        assert errors.too_little_left().message == (
            "Not enough points left for this request (its input and at least one token per"
            " answer): shorten the input or lower n."
        )
