"""The operator's survey pages in English: the call's English title and periods with an en dash."""

import pytest

pytestmark = pytest.mark.integration


def _english(staff):
    client, _user = staff("operator")
    client.cookies["django_language"] = "en"
    return client


def test_round_list_in_english_names_the_call_in_english_and_writes_the_period_with_a_dash(
    staff, open_round
):
    client = _english(staff)

    text = client.get("/staff/followup/").content.decode()

    period = f"{open_round.opens_on.isoformat()}–{open_round.due_on.isoformat()}"
    assert f"<td>{open_round.call.title_en}</td>" in text
    assert f"<td>{period}</td>" in text
    assert open_round.call.title_zh not in text
    assert "－" not in text


def test_round_page_in_english_names_the_call_in_english_and_writes_the_period_with_a_dash(
    staff, open_round
):
    client = _english(staff)

    text = client.get(f"/staff/followup/{open_round.pk}/").content.decode()

    period = f"{open_round.opens_on.isoformat()}–{open_round.due_on.isoformat()}"
    assert f"<td>{open_round.call.title_en}</td>" in text
    assert f'<td id="round-period">{period} ' in text
    assert open_round.call.title_zh not in text
    assert "－" not in text


def test_response_page_in_english_writes_the_period_of_use_with_a_dash(
    staff, open_round, training_ended
):
    client = _english(staff)

    text = client.get(
        f"/staff/followup/{open_round.pk}/{training_ended.award.pk}/"
    ).content.decode()

    use = f"{training_ended.starts_on.isoformat()}–{training_ended.ends_on.isoformat()}"
    assert f"<td>{use}</td>" in text
    assert "－" not in text


def test_round_page_in_chinese_keeps_the_call_title_and_full_width_dash(staff, open_round):
    client, _user = staff("operator")

    text = client.get(f"/staff/followup/{open_round.pk}/").content.decode()

    assert f"<td>{open_round.call.title_zh}</td>" in text
    assert "－" in text
