"""The call's configuration refuses data the pre-check and the batches would misread: eligible
industries the operator mistyped, a close before the opening, and a batch whose review date
moved keeps no stale cut-off."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from aipower.calls.enums import CategoryKind
from aipower.calls.models import Batch, Category, default_cutoff

pytestmark = pytest.mark.integration

TAIPEI = ZoneInfo("Asia/Taipei")
J62 = {"code": "J62", "name_zh": "電腦程式設計、諮詢及相關服務業", "prefixes": ["62"]}


def test_seeded_industries_are_valid(call_115):
    call_115.full_clean()


@pytest.mark.parametrize(
    "industries",
    [
        [],
        [{**J62, "prefixes": "62"}],  # read as "6" and "2": every code starting 6 or 2
        [{**J62, "prefixes": []}],
        [{**J62, "prefixes": ["J62"]}],
        [{**J62, "prefixes": ["6201234"]}],
        [{"name_zh": "電腦程式設計", "prefixes": ["62"]}],
        [{**J62, "name_zh": ""}],
        ["J62"],
        {"J62": ["62"]},
    ],
)
def test_call_refuses_industries_the_precheck_would_misread(call_115, industries):
    call_115.industries = industries

    with pytest.raises(ValidationError) as refused:
        call_115.full_clean()

    assert "industries" in refused.value.message_dict


def test_seeded_call_admits_the_programmes_legal_forms(call_115):
    # 獨資、合夥、有限合夥事業或公司 as the tax registration data names them.
    assert call_115.admitted_legal_forms == [
        "獨資",
        "合夥",
        "有限合夥",
        "有限公司",
        "股份有限公司",
        "無限公司",
        "兩合公司",
    ]


@pytest.mark.parametrize("forms", [[], [""], ["有限公司", "  "], "有限公司", [1], {"有限公司": 1}])
def test_call_refuses_admitted_legal_forms_the_precheck_cannot_use(call_115, forms):
    call_115.admitted_legal_forms = forms

    with pytest.raises(ValidationError) as refused:
        call_115.full_clean()

    assert list(refused.value.message_dict) == ["admitted_legal_forms"]


def test_next_years_call_keeps_the_admitted_legal_forms(call_115):
    from aipower.calls.next_year import copy_to_next_year

    call_115.admitted_legal_forms = ["有限公司", "股份有限公司"]
    call_115.save()

    assert copy_to_next_year(call_115).admitted_legal_forms == ["有限公司", "股份有限公司"]


def test_call_refuses_closing_before_it_opens(call_115):
    call_115.closes_at = call_115.opens_at - datetime.timedelta(minutes=1)

    with pytest.raises(ValidationError) as refused:
        call_115.full_clean()

    assert list(refused.value.message_dict) == ["closes_at"]


def test_batch_default_cutoff_follows_a_moved_review_date(call_115):
    batch = Batch.objects.get(
        category__call=call_115, category__kind=CategoryKind.TRAINING, number=2
    )
    assert batch.cutoff_at == datetime.datetime(2026, 8, 31, 23, 59, 59, tzinfo=TAIPEI)

    batch.review_date = datetime.date(2026, 9, 8)
    batch.save()

    batch.refresh_from_db()
    assert batch.cutoff_at == datetime.datetime(2026, 9, 7, 23, 59, 59, tzinfo=TAIPEI)


def test_batch_default_cutoff_follows_the_date_when_only_the_date_is_saved(call_115):
    batch = Batch.objects.get(
        category__call=call_115, category__kind=CategoryKind.INFERENCE, number=3
    )

    batch.review_date = datetime.date(2026, 8, 18)
    batch.save(update_fields=["review_date"])

    batch.refresh_from_db()
    assert batch.cutoff_at == default_cutoff(datetime.date(2026, 8, 18))


def test_batch_cutoff_of_the_operators_own_stays_when_the_date_moves(call_115):
    category = Category.objects.get(call=call_115, kind=CategoryKind.TRAINING)
    own = datetime.datetime(2026, 8, 25, 17, 0, tzinfo=TAIPEI)
    batch = Batch.objects.get(category=category, number=2)
    batch.cutoff_at = own
    batch.save()

    batch.review_date = datetime.date(2026, 9, 8)
    batch.save()

    batch.refresh_from_db()
    assert batch.cutoff_at == own


def test_batch_cutoff_changed_with_the_date_is_the_operators(call_115):
    batch = Batch.objects.get(
        category__call=call_115, category__kind=CategoryKind.TRAINING, number=2
    )
    chosen = datetime.datetime(2026, 9, 3, 12, 0, tzinfo=TAIPEI)

    batch.review_date = datetime.date(2026, 9, 8)
    batch.cutoff_at = chosen
    batch.save()

    batch.refresh_from_db()
    assert batch.cutoff_at == chosen


def test_industries_refusal_names_the_item_in_english(call_115):
    from django.utils import translation

    call_115.industries = [J62, {**J62, "code": "J63", "prefixes": "63"}]

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        call_115.full_clean()

    assert refused.value.message_dict["industries"] == [
        'The prefixes of item 2 (J63) must be a list of 1 to 6 digits, e.g. ["62"].'
    ]


def test_batch_cutoff_on_or_after_its_review_date_is_refused(call_115):
    batch = Batch.objects.get(
        category__call=call_115, category__kind=CategoryKind.TRAINING, number=2
    )
    batch.cutoff_at = datetime.datetime(2026, 9, 1, 0, 0, tzinfo=TAIPEI)

    with pytest.raises(ValidationError) as refused:
        batch.full_clean()

    assert refused.value.message_dict == {"cutoff_at": ["收件截止須早於該梯次預計審查日。"]}


def test_seeded_batches_are_valid(call_115):
    for batch in Batch.objects.filter(category__call=call_115):
        batch.full_clean()


def test_batch_review_date_moved_earlier_takes_its_default_cutoff_along(call_115):
    batch = Batch.objects.get(
        category__call=call_115, category__kind=CategoryKind.TRAINING, number=2
    )
    batch.review_date = datetime.date(2026, 8, 25)

    batch.full_clean()
    batch.save()

    batch.refresh_from_db()
    assert batch.cutoff_at == datetime.datetime(2026, 8, 24, 23, 59, 59, tzinfo=TAIPEI)


def test_a_model_from_china_hong_kong_or_macao_must_be_marked_prohibited(call_115):
    from django.core.exceptions import ValidationError

    from aipower.calls.models import CatalogueModel

    model = CatalogueModel(
        call=call_115, display_name="Qwen3-235B", country="cn", enabled=True, offered_inference=True
    )

    with pytest.raises(ValidationError) as refused:
        model.full_clean()
    model.save()  # saved by code, it is prohibited and disabled all the same

    assert "禁止使用" in refused.value.message_dict["prohibited"][0]
    model.refresh_from_db()
    assert (model.prohibited, model.enabled) == (True, False)


def test_a_model_from_elsewhere_is_left_as_the_operator_set_it(call_115):
    from aipower.calls.models import CatalogueModel

    model = CatalogueModel.objects.create(
        call=call_115, display_name="Example Model 7B", country="FR", enabled=True
    )

    model.full_clean()
    assert (model.prohibited, model.enabled) == (False, True)


def test_a_tier_of_no_points_is_refused_by_the_form_and_the_database(call_115):
    """A tier the operator set to 0 would let the review award nothing: an award with no
    service behind it."""
    tier = call_115.tiers.get(code="L1")
    tier.points = 0
    with pytest.raises(ValidationError) as refused:
        tier.full_clean()
    assert "points" in refused.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        tier.save()
    tier.refresh_from_db()
    assert tier.points == 1000
