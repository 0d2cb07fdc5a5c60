"""The seeded year-115 call equals the programme document: dates, batches, weights, tiers,
catalogue, texts; and seeding again changes nothing."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from aipower.calls.enums import CategoryKind, TextKey
from aipower.calls.models import (
    Announcement,
    Batch,
    CatalogueModel,
    Category,
    Criterion,
    FormNote,
    Text,
    Tier,
)
from aipower.calls.seed import seed, seed_call

pytestmark = pytest.mark.integration

TAIPEI = ZoneInfo("Asia/Taipei")

NO_CODE_MODELS = [
    "Llama-3.1-TAIDELX-8B-Lora",
    "Llama-3.1-FFM-8B-Lora",
    "Llama-3-Taiwan-70B-Lora",
    "Llama-3.1-FoxBrain-70B-Lora",
    "Llama-3.3-FFM-70B-Lora",
]


def _dates(call, kind):
    return list(
        Batch.objects.filter(category__call=call, category__kind=kind)
        .order_by("number")
        .values_list("review_date", flat=True)
    )


def _weights(call, kind):
    return dict(
        Criterion.objects.filter(category__call=call, category__kind=kind).values_list(
            "key", "weight"
        )
    )


def test_call_115_has_the_documents_dates_and_contacts(call_115):
    assert call_115.year == 115
    assert call_115.title_zh == "115年度 算力平台申請說明"
    assert call_115.title_en == "2026 AI Compute Platform Call"
    assert call_115.programme_zh == "數位產業跨域軟體基盤暨數位服務躍升計畫"
    assert call_115.opens_at == datetime.datetime(2026, 5, 1, 0, 0, tzinfo=TAIPEI)
    assert call_115.closes_at == datetime.datetime(2026, 10, 30, 23, 59, 59, tzinfo=TAIPEI)
    assert call_115.validity_months == 3
    assert call_115.deliverables_days == 30
    assert call_115.startup_founded_on_or_after == datetime.date(2018, 1, 1)
    assert call_115.organiser_zh == "數位發展部數位產業署"
    assert call_115.organiser_en == "Administration for Digital Industries, moda"
    assert call_115.executor_zh == "台灣智慧雲端服務股份有限公司"
    assert call_115.co_organisers_zh == (
        "國家科學及技術委員會、國家高速網路與計算中心、"
        "中華民國資訊軟體服務商業同業公會、中華民國資訊經理人協會"
    )
    assert call_115.service_email == "aipower.service@twcloud.ai"
    assert call_115.service_phone_zh == "(02) 2898-7447 分機 86539、86542"
    assert call_115.service_hours_zh == "週一至週五 9:00~18:00"
    assert call_115.site_url == "https://aipower.dginfra.gov.tw"


def test_call_115_industries_are_the_four_codes_with_tax_prefixes(call_115):
    assert [(i["code"], i["name_zh"], i["prefixes"]) for i in call_115.industries] == [
        ("J582", "軟體出版業", ["5820"]),
        ("J62", "電腦程式設計、諮詢及相關服務業", ["62"]),
        ("J63", "資訊服務業", ["63"]),
        ("K6699", "第三方支付服務業", ["6699"]),
    ]
    assert all(industry["name_en"] for industry in call_115.industries)


def test_categories_have_the_documents_names_and_point_units(call_115):
    training = Category.objects.get(call=call_115, kind=CategoryKind.TRAINING)
    inference = Category.objects.get(call=call_115, kind=CategoryKind.INFERENCE)

    assert (training.name_zh, training.tagline_zh) == ("模型訓練類", "打造專屬AI，深耕核心能力")
    assert training.point_definition_zh == "1點=0.5GPU小時"
    assert (training.units_per_point, training.metering_unit) == (1800, 1)
    assert (inference.name_zh, inference.tagline_zh) == ("模型推論類", "降低導入門檻，快速驗證創意")
    assert inference.point_definition_zh == (
        "1點=10萬個Token數Input或Output，最小計量單位為千個Token數"
    )
    assert (inference.units_per_point, inference.metering_unit) == (100_000, 1000)


def test_training_has_three_batches_on_the_documents_dates(call_115):
    assert _dates(call_115, CategoryKind.TRAINING) == [
        datetime.date(2026, 7, 1),
        datetime.date(2026, 9, 1),
        datetime.date(2026, 11, 2),
    ]


def test_inference_has_six_batches_on_the_documents_dates(call_115):
    assert _dates(call_115, CategoryKind.INFERENCE) == [
        datetime.date(2026, 7, 1),
        datetime.date(2026, 7, 21),
        datetime.date(2026, 8, 11),
        datetime.date(2026, 9, 1),
        datetime.date(2026, 9, 29),
        datetime.date(2026, 11, 2),
    ]


def test_batch_cutoffs_are_the_day_before_at_2359(call_115):
    for batch in Batch.objects.filter(category__call=call_115):
        expected = datetime.datetime.combine(
            batch.review_date - datetime.timedelta(days=1),
            datetime.time(23, 59, 59),
            tzinfo=TAIPEI,
        )
        assert batch.cutoff_at == expected


def test_training_weights_equal_the_document(call_115):
    assert _weights(call_115, CategoryKind.TRAINING) == {
        "importance": 30,
        "opportunity": 15,
        "dataset": 10,
        "resources": 20,
        "benefit": 15,
        "productisation": 10,
    }


def test_inference_weights_equal_the_document(call_115):
    assert _weights(call_115, CategoryKind.INFERENCE) == {
        "importance": 25,
        "opportunity": 25,
        "scenario": 20,
        "benefit": 20,
        "productisation": 10,
    }


def test_weights_add_up_to_100_per_category(call_115):
    for category in Category.objects.filter(call=call_115):
        assert sum(category.criteria.values_list("weight", flat=True)) == 100


def test_criteria_names_are_the_documents_labels_in_order(call_115):
    names = list(
        Criterion.objects.filter(category__call=call_115, category__kind=CategoryKind.TRAINING)
        .order_by("order")
        .values_list("name_zh", flat=True)
    )
    assert names == [
        "專案重要性",
        "產業應用機會",
        "訓練資料集",
        "使用模型及資源需求",
        "預期效益合理性",
        "預計產品化階段說明",
    ]


def test_tiers_are_l1_1000_l2_2000_l3_6000(call_115):
    assert list(Tier.objects.filter(call=call_115).values_list("code", "points")) == [
        ("L1", 1000),
        ("L2", 2000),
        ("L3", 6000),
    ]


def test_catalogue_has_one_entry_per_model(call_115):
    names = list(
        CatalogueModel.objects.filter(call=call_115).values_list("display_name", flat=True)
    )
    maverick = [name for name in names if "Maverick" in name]

    assert len(names) == len(set(names))
    assert maverick == ["meta-llama/Llama 4 Maverick"]
    # The document's 28 listed lines minus the duplicate Maverick, plus DeepSeek-R1.
    assert len(names) == 28


def test_catalogue_corrects_the_nemotron_ultra_size(call_115):
    ultra = CatalogueModel.objects.get(call=call_115, display_name__contains="Nemotron Ultra")

    assert ultra.display_name == "Llama-3.3 Nemotron Ultra 253B v1"
    assert ultra.parameter_size == "253B"


def test_catalogue_no_code_offering_is_the_five_lora_models(call_115):
    no_code = list(
        CatalogueModel.objects.filter(call=call_115, offered_no_code=True).values_list(
            "display_name", flat=True
        )
    )
    assert no_code == NO_CODE_MODELS


def test_catalogue_entries_carry_vendor_country_and_upstream(call_115):
    offered = CatalogueModel.objects.filter(call=call_115, prohibited=False)

    assert offered.count() == 27
    for model in offered:
        assert model.offered_validation and model.offered_inference and model.enabled
        assert model.vendor and len(model.country) == 2 and model.upstream_id
    scout = offered.get(display_name__startswith="meta-llama/Llama-4-Scout")
    assert (scout.upstream_id, scout.parameter_size) == (
        "meta-llama/Llama-4-Scout-17B-16E-Instruct",
        "108B",
    )


def test_deepseek_is_prohibited_and_never_offered(call_115):
    deepseek = CatalogueModel.objects.get(call=call_115, display_name="DeepSeek-R1")

    assert (deepseek.vendor, deepseek.country) == ("DeepSeek", "CN")
    assert deepseek.prohibited is True
    assert deepseek.enabled is False
    assert not (deepseek.offered_no_code or deepseek.offered_validation)
    assert deepseek.offered_inference is False


def test_every_text_key_is_seeded_in_both_languages(call_115):
    texts = {text.key: text for text in Text.objects.filter(call=call_115)}

    assert set(texts) == set(TextKey.values)
    for text in texts.values():
        assert text.title_zh and text.title_en and text.body_zh and text.body_en


def test_terms_text_has_every_section_of_the_document(call_115):
    body = Text.objects.get(call=call_115, key=TextKey.TERMS).body_zh

    assert body.startswith(
        "一、申請注意事項\n(一) 本平台所提供之資源僅限GPU算力、作業環境與儲存空間。"
    )
    for line in [
        "(四) 本平台得隨時更動、停止本平台之部分或全部功能服務。",
        "二、使用規範",
        "5. 使用來自中國或中資的開源模型(如DeepSeek等)、介接工具(如API、MCP等) 進行本算力平台",
        "\n使用者於算力使用期間有上述任一情事者，本平台得判定暫停現有服務或停權下次申請資格乙次，",
        "(二) 算力使用者義務條款：業者同意遵守以下規定",
        "(三) 核定使用期間屆滿後，本平台將收回算力使用權限，並清除儲存空間。",
        "(四) 免責聲明",
        "4. 本平台建置高標準資訊安全管理流程",
    ]:
        assert line in body
    assert body.endswith("得以書面立即終止本平台服務。")


def test_agreement_texts_are_the_documents_sentences(call_115):
    def body(key):
        return Text.objects.get(call=call_115, key=key).body_zh

    assert body(TextKey.PERSONAL_DATA_CONSENT) == (
        "本人已充分知悉上述告知事項並同意本署蒐集、處理、利用本人個人資料,"
        "以及其他公務機關請求行政協助目的之提供。"
    )
    assert body(TextKey.DECLARATION_AGREE) == (
        "聲明人已明確了解上述所有聲明與授權內容，並且同意遵守之。"
    )
    assert body(TextKey.PLEDGE_AGREE) == "本公司已明確了解上述所有切結內容，並且同意遵守所有規定"
    assert body(TextKey.PLEDGE).splitlines() == [
        "一、申請人保證所附資料均屬正確，並保證不侵犯他人之智慧財產權，否則願負一切責任。",
        "二、申請人已詳細閱讀並同意確實遵守「算力使用者聲明及同意事項」。",
    ]


def test_personal_data_notice_has_the_six_points(call_115):
    lines = Text.objects.get(call=call_115, key=TextKey.PERSONAL_DATA_NOTICE).body_zh.splitlines()

    assert [line[:2] for line in lines[1:]] == ["1、", "2、", "3、", "4、", "5、", "6、"]


def test_declaration_keeps_what_the_document_gives(call_115):
    body = Text.objects.get(call=call_115, key=TextKey.DECLARATION).body_zh

    assert body.startswith("一、智慧財產權事項\n(二) 使用於本平台之相關資料確實為合法管道取得")
    for marker in ["二、其他事項", "(一) 同意遵守本須知。", "(五) 就本須知", "\n1. 執行政府計畫"]:
        assert marker in body


def test_two_announcements_are_seeded(call_115):
    titles = list(
        Announcement.objects.filter(call=call_115)
        .order_by("id")
        .values_list("title_zh", "published_on")
    )
    assert titles == [
        ("115年度算力平台開放申請", datetime.date(2026, 5, 1)),
        ("最新模型：新增 Gemma 4 及 Magistral 等多種模型", datetime.date(2026, 5, 1)),
    ]


SEEDED_MODELS = (Category, Batch, Criterion, Tier, CatalogueModel, Text, FormNote, Announcement)


def test_seed_call_again_creates_and_changes_nothing(call_115):
    counts = [
        model.objects.count()
        for model in (
            Category,
            Batch,
            Criterion,
            Tier,
            CatalogueModel,
            Text,
            FormNote,
            Announcement,
        )
    ]

    report = seed(115)

    assert report.call.pk == call_115.pk
    assert (report.created, report.updated) == (0, 0)
    assert report.unchanged == 71
    assert counts == [
        model.objects.count()
        for model in (
            Category,
            Batch,
            Criterion,
            Tier,
            CatalogueModel,
            Text,
            FormNote,
            Announcement,
        )
    ]


def test_seed_has_the_documents_notes_on_the_form(call_115):
    notes = {(n.page, n.section): n.body_zh for n in FormNote.objects.filter(call=call_115)}

    assert notes == {
        ("training-1", "3"): "請填寫完整資訊",
        ("training-2", "6"): "訓練資料集請填寫完整",
        (
            "training-3",
            "7",
        ): "模型訓練類業者，須配合出席產品demo會議。結案報告、成果簡報等將提供公版格式。",
        ("inference-3", "7"): "結案報告、成果簡報等將提供公版格式。",
        ("inference-4", "8"): "115年重點新增，請填寫完整",
    }
    assert all(n.body_en for n in FormNote.objects.filter(call=call_115))


def test_seed_call_restores_an_edited_seeded_value(call_115):
    Tier.objects.filter(call=call_115, code="L1").update(points=999)

    report = seed(115)

    assert report.updated == 1
    assert Tier.objects.get(call=call_115, code="L1").points == 1000


def test_seed_call_unknown_year_is_refused(db):
    with pytest.raises(ValueError, match="no seed data for programme year 99"):
        seed_call(99)


def test_seed_call_command_prints_created_then_unchanged(db, capsys):
    call_command("seed_call", "115")
    first = capsys.readouterr().out
    call_command("seed_call")
    second = capsys.readouterr().out

    assert "created: call 115" in first
    assert "Call 115: 71 created, 0 updated, 0 unchanged." in first
    assert second.strip() == "Call 115: 0 created, 0 updated, 71 unchanged."


def _rows(call):
    """Every seeded row of ``call`` as its field values, keys and links left out."""

    def values(model, **lookup):
        names = [
            f.attname for f in model._meta.concrete_fields if not (f.primary_key or f.is_relation)
        ]
        return sorted(
            tuple(str(v) for v in row) for row in model.objects.filter(**lookup).values_list(*names)
        )

    by_call = {"call": call}
    by_category = {"category__call": call}
    return {
        "call": values(type(call), pk=call.pk),
        **{m.__name__: values(m, **by_call) for m in (Category, Tier, CatalogueModel, Text)},
        **{m.__name__: values(m, **by_call) for m in (FormNote, Announcement)},
        **{m.__name__: values(m, **by_category) for m in (Batch, Criterion)},
    }


def test_a_new_year_inserted_at_once_equals_the_one_written_row_by_row(db):
    """A year not in the database yet is inserted one statement per model; it must be the
    same rows, and report the same, as the row-by-row path writes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from aipower.calls.models import Call
    from aipower.calls.seed import seed_data

    with CaptureQueriesContext(connection) as queries:
        at_once = seed(115)
    inserted = _rows(at_once.call)
    at_once.call.delete()
    # With the call already there, every other row goes through the look-up and insert.
    Call.objects.create(year=115, **seed_data(115).CALL)
    row_by_row = seed(115)

    assert len(queries) < 20
    assert _rows(row_by_row.call) == inserted
    assert at_once.created == 71 and row_by_row.created == 70
    assert at_once.rows[1:] == row_by_row.rows[1:]
    assert CatalogueModel.objects.filter(prohibited=True, enabled=False).exists()
