"""Fixtures for the application tests: the seeded year-115 call opened now, company users,
and the answers of a complete training and inference application (the seed's examples)."""

import pytest
from django.test import Client

from aipower.accounts.models import Company, User
from aipower.devtools.demo import shift_call_to_now

EXAMPLE_IMPORTANCE = (
    "目前，平均每位高齡照護員需要照顧30位獨居長者，這樣的工作需要大量專業照護相關知識。"
    "本專案將利用大型語言模型Llama-3搭配RAG技術，開發長者照護助理（高齡照護GPT）來協助第一線照護員，"
    "減輕他們的負擔，並提升照護品質。"
)

PROFILE = {
    "founded_on": "2019-03-01",
    "paid_in_capital": "5000000",
    "representative": "王大明",
    "employees": "25",
    "address": "臺北市中正區忠孝西路一段1號",
    "pi_name": "林主持",
    "pi_title": "技術長",
    "pi_phone": "02 12345678#123",
    "pi_email": "pi@example.com",
    "contact_name": "陳聯絡",
    "contact_title": "專案經理",
    "contact_phone": "(02)2345-6789",
    "contact_email": "contact@example.com",
    "contact_mobile": "0912-345-678",
    "industries": ["J62"],
    "company_intro": "1.營業項目：資訊服務 2.主要產品：照護助理 3.銷售區域：臺灣",
    "consent": "on",
}
DECLARATION = {"agreed": "on"}
BENEFIT_COMMON = {
    "deliverables_agree": "on",
    "mou_url": "無",
    "product_material_url": "無",
    "dataset_huggingface_url": "無",
    "dataset_github_url": "無",
    "model_huggingface_url": "無",
    "model_github_url": "無",
    "registration_payment": "無",
    "registration_esignature": "無",
    "registration_data_economy": "無",
    "registration_ai": "無",
    "registration_it_services": "無",
    "registration_security": "no",
}
PRODUCT = {
    "customers": ["sme"],
    "progress": ["in_development"],
    "product_forms": ["cloud"],
    "pricing_units": ["per_user"],
    "pricing_period": "monthly",
    "other_needs": "無",
}
TRAINING = {
    "training-1": {
        "topic": "高齡照護GPT",
        "domains": ["health"],
        "container_model_name": "無",
        "container_model_version": "無",
        "container_download_url": "無",
        "container_base_model": "無",
        "no_code_models": ["Llama-3.1-TAIDELX-8B-Lora"],
        "validation_models": ["none"],
    },
    "training-2": {
        "importance": EXAMPLE_IMPORTANCE,
        "opportunity": "協助健康醫療照護產業導入AI技術，發展各種專門領域的照護助理GPT。",
        "text_tokens": "0",
        "speech_hours": "1232",
        "video_hours": "222",
        "video_resolution": "2132x1231",
        "image_count": "2",
        "image_resolution": "2123x1234",
        "dataset_description": "無",
    },
    "training-3": {"expected_models": "2", "expected_applications": "2", **BENEFIT_COMMON},
    "training-4": PRODUCT,
}
INFERENCE = {
    "inference-1": {
        "topic": "客服推論助理",
        "domains": ["finance"],
        "inference_models": ["openai/gpt-oss-20b"],
    },
    "inference-2": {
        "importance": EXAMPLE_IMPORTANCE,
        "opportunity": "推廣至金融客服。",
        "scenario": "客服回覆時間縮短一半。",
    },
    "inference-3": {"expected_applications": "1", **BENEFIT_COMMON},
    "inference-4": PRODUCT,
}
PLEDGE = {"understood": "on", "category_confirmed": "on"}


def open_now(call):
    """Move every date of ``call`` so that it is open now and its batches lie ahead (the same
    shift the demo data uses)."""
    shift_call_to_now(call)
    return call


@pytest.fixture
def open_call(call_115):
    """The seeded call, open now."""
    return open_now(call_115)


def make_company_user(ubn="04595257", name="示範智能股份有限公司"):
    company = Company.objects.create(ubn=ubn, name=name)
    user = User.objects.create_user(username=f"company-{ubn}", role="company", company=company)
    return user


@pytest.fixture
def company_user(db):
    return make_company_user()


@pytest.fixture
def other_company_user(db):
    return make_company_user(ubn="10458575", name="另一家股份有限公司")


@pytest.fixture
def company_client(company_user):
    client = Client()
    client.force_login(company_user)
    return client


def begin_application(client):
    """「我要申請」 then 「開始填寫」, as a newcomer does: GET /apply/ shows the start page (it
    creates nothing), its form POSTs to the same URL, which creates the draft. Returns the
    POST's response (a redirect to the first page)."""
    from django.urls import reverse

    url = reverse("applications:index")
    client.get(url)
    token = client.cookies.get("csrftoken")
    return client.post(url, {"csrfmiddlewaretoken": token.value} if token else {})


def as_form_data(values):
    """A dict of answers (lists for multiple choices) as form data."""
    from django.utils.datastructures import MultiValueDict

    data = MultiValueDict()
    for name, value in values.items():
        if isinstance(value, list):
            data.setlist(name, value)
        else:
            data[name] = value
    return data


def save_page(app, user, identifier, values, now=None):
    """Save one wizard page through the service, as a 「下一步」 does."""
    from aipower.applications import flow, services

    step = flow.get_step(identifier)
    form = step.get_form(app, as_form_data(values), draft=True)
    valid = form.is_valid()
    return services.save_step(
        app, step, form, revision=app.revision, user=user, advance=valid, now=now
    )


def fill_application(app, user, category="training", now=None):
    """Every page of a complete application of ``category``, saved; returns the application."""
    pages = TRAINING if category == "training" else INFERENCE
    app = save_page(app, user, "category", {"category": category}, now)
    app = save_page(app, user, "terms", {}, now)
    app = save_page(app, user, "profile", PROFILE, now)
    app = save_page(app, user, "declaration", DECLARATION, now)
    for identifier, values in pages.items():
        app = save_page(app, user, identifier, values, now)
    return save_page(app, user, "pledge", PLEDGE, now)


@pytest.fixture
def draft(open_call, company_user):
    from aipower.applications.services import start_application

    return start_application(company_user.company, open_call)


@pytest.fixture
def complete_training(draft, company_user):
    return fill_application(draft, company_user, "training")
