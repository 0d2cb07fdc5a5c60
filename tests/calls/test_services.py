"""Read helpers: the current call, the batch a submission joins, models per offering, texts and
the points table."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from aipower.calls import services
from aipower.calls.enums import CategoryKind, Offering, TextKey
from aipower.calls.models import CatalogueModel, Category

pytestmark = pytest.mark.integration

TAIPEI = ZoneInfo("Asia/Taipei")


def _at(*args):
    return datetime.datetime(*args, tzinfo=TAIPEI)


@pytest.fixture
def training(call_115):
    return Category.objects.get(call=call_115, kind=CategoryKind.TRAINING)


@pytest.fixture
def inference(call_115):
    return Category.objects.get(call=call_115, kind=CategoryKind.INFERENCE)


def test_current_call_is_the_seeded_call(call_115):
    assert services.current_call(_at(2026, 6, 1, 12, 0)) == call_115


def test_current_call_without_calls_is_none(db):
    assert services.current_call(_at(2026, 6, 1, 12, 0)) is None


def test_next_batch_at_the_cutoff_second_is_that_batch(training):
    batch = services.next_batch(training, _at(2026, 6, 30, 23, 59, 59))

    assert (batch.number, batch.review_date) == (1, datetime.date(2026, 7, 1))


def test_next_batch_just_after_the_cutoff_is_the_following_batch(training):
    batch = services.next_batch(training, _at(2026, 7, 1, 0, 0, 0))

    assert (batch.number, batch.review_date) == (2, datetime.date(2026, 9, 1))


def test_next_batch_of_inference_follows_its_own_dates(inference):
    batch = services.next_batch(inference, _at(2026, 7, 20, 23, 59, 59))
    after = services.next_batch(inference, _at(2026, 7, 21, 0, 0, 1))

    assert (batch.number, batch.review_date) == (2, datetime.date(2026, 7, 21))
    assert (after.number, after.review_date) == (3, datetime.date(2026, 8, 11))


def test_next_batch_before_opening_is_the_first(training):
    assert services.next_batch(training, _at(2026, 5, 1, 0, 0)).number == 1


def test_next_batch_after_the_last_cutoff_is_none(training):
    assert services.next_batch(training, _at(2026, 11, 2, 0, 0)) is None


def test_batches_by_category_lists_three_and_six_batches(call_115):
    grouped = services.batches_by_category(call_115)

    assert [(category.kind, len(batches)) for category, batches in grouped] == [
        ("training", 3),
        ("inference", 6),
    ]
    assert [batch.number for batch in grouped[1][1]] == [1, 2, 3, 4, 5, 6]


def test_models_for_no_code_is_the_five_lora_models(call_115):
    names = [model.display_name for model in services.models_for(call_115, Offering.NO_CODE)]

    assert names == [
        "Llama-3.1-TAIDELX-8B-Lora",
        "Llama-3.1-FFM-8B-Lora",
        "Llama-3-Taiwan-70B-Lora",
        "Llama-3.1-FoxBrain-70B-Lora",
        "Llama-3.3-FFM-70B-Lora",
    ]


def test_models_for_inference_excludes_prohibited_and_disabled(call_115):
    CatalogueModel.objects.filter(call=call_115, display_name="Mistral Small 4").update(
        enabled=False
    )
    # Even a prohibited model wrongly flagged as offered and enabled is never listed.
    CatalogueModel.objects.filter(call=call_115, display_name="DeepSeek-R1").update(
        enabled=True, offered_inference=True
    )

    names = [model.display_name for model in services.models_for(call_115, "inference")]

    assert len(names) == 26
    assert names[0] == "Llama-3.1-TAIDELX-8B-Lora"
    assert names[-1] == "Mistral Medium 3.5"
    assert "DeepSeek-R1" not in names
    assert "Mistral Small 4" not in names


def test_models_for_unknown_offering_is_refused(call_115):
    with pytest.raises(ValueError, match="unknown offering: 'gpu'"):
        services.models_for(call_115, "gpu")


def test_text_returns_the_text_or_none(call_115):
    assert services.text(call_115, TextKey.PLEDGE_AGREE).body_zh == (
        "本公司已明確了解上述所有切結內容，並且同意遵守所有規定"
    )
    call_115.texts.filter(key=TextKey.OBLIGATIONS).delete()
    assert services.text(call_115, TextKey.OBLIGATIONS) is None


def test_points_table_l1_is_500_gpu_hours_and_100m_tokens(call_115):
    table = services.points_table(call_115)
    l1 = table[0]
    training_cell, inference_cell = l1.cells

    assert l1.tier.code == "L1"
    assert (training_cell.points, training_cell.gpu_hours, training_cell.tokens) == (
        1000,
        Decimal(500),
        None,
    )
    assert (inference_cell.points, inference_cell.tokens, inference_cell.gpu_hours) == (
        1000,
        100_000_000,
        None,
    )


def test_points_table_has_every_tier_in_both_categories(call_115):
    table = services.points_table(call_115)

    assert [
        (row.tier.code, [(cell.gpu_hours, cell.tokens) for cell in row.cells]) for row in table
    ] == [
        ("L1", [(Decimal(500), None), (None, 100_000_000)]),
        ("L2", [(Decimal(1000), None), (None, 200_000_000)]),
        ("L3", [(Decimal(3000), None), (None, 600_000_000)]),
    ]
    assert str(table[2].cells[0].gpu_hours) == "3000"
