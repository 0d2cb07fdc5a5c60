"""On English pages, what a company typed in Chinese (its name, its answers) and the registry's
Chinese names are marked lang="zh-Hant", so a screen reader reads them with Chinese rules, not
English ones; choices, dates and the page's own words are not marked, nor anything on a
zh-Hant page."""

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

from aipower.accounts.models import Company
from aipower.registry.services import import_demo_registry

from .conftest import verified_client
from .helpers import make_eligible

pytestmark = pytest.mark.integration

NAME = "甲智能股份有限公司"


def english(user):
    client = verified_client(user)
    client.cookies["django_language"] = "en"
    return client


def test_the_staff_application_page_in_english_marks_the_typed_chinese(app_a, operator):
    html = english(operator).get(reverse("review:application", args=[app_a.pk])).content.decode()

    heading = html.split("<h1>", 1)[1].split("</h1>", 1)[0]
    assert f'<span lang="zh-Hant">{NAME}</span>' in heading
    # 代表人, typed: marked; 資本額 and the dates are worded by the page: not marked.
    assert '<td><span lang="zh-Hant">王大明</span></td>' in html
    assert "<td>2019-03-01</td>" in html


def test_the_staff_application_page_in_chinese_has_no_marks(app_a, operator):
    html = (
        verified_client(operator)
        .get(reverse("review:application", args=[app_a.pk]))
        .content.decode()
    )

    assert f"<h1>{app_a.number} {NAME}</h1>" in html
    assert "<td>王大明</td>" in html


def test_the_meeting_in_english_marks_the_company_name(app_a, operator):
    make_eligible(app_a, operator)

    html = english(operator).get(reverse("review:meeting", args=[app_a.batch_id])).content.decode()

    assert f'<td class="company"><span lang="zh-Hant">{NAME}</span></td>' in html


def test_the_staff_company_page_in_english_marks_the_registrys_names(operator):
    import_demo_registry()

    html = english(operator).get("/staff/registry/companies/84700087/").content.decode()

    heading = html.split("<h1>", 1)[1].split("</h1>", 1)[0]
    assert '<span lang="zh-Hant">晴空智能股份有限公司</span>' in heading
    assert '<td><span lang="zh-Hant">系統整合</span></td>' in html


def test_lang_zh_leaves_text_without_chinese_and_still_escapes():
    template = Template("{% load registry %}{{ a|lang_zh }}|{{ b|lang_zh }}")
    context = Context({"a": "Acme <Ltd>", "b": "<甲>"})

    with translation.override("en"):
        english_text = template.render(context)
    with translation.override("zh-hant"):
        chinese_text = template.render(context)

    assert english_text == 'Acme &lt;Ltd&gt;|<span lang="zh-Hant">&lt;甲&gt;</span>'
    assert chinese_text == "Acme &lt;Ltd&gt;|&lt;甲&gt;"


def test_the_applicants_dashboard_in_english_marks_the_company_name(app_a, company_a):
    client = Client()
    client.force_login(company_a)
    client.cookies["django_language"] = "en"

    html = client.get(reverse("applications:dashboard")).content.decode()

    assert f'<td><span lang="zh-Hant">{NAME}</span> (04595257)</td>' in html


def test_company_label_zh_escapes_the_name_and_reads_as_company_label_in_chinese():
    template = Template("{% load registry %}{{ company|company_label_zh }}")
    company = Company(name="<甲>", ubn="04595257")

    with translation.override("en"):
        english_text = template.render(Context({"company": company}))
    with translation.override("zh-hant"):
        chinese_text = template.render(Context({"company": company}))

    assert english_text == '<span lang="zh-Hant">&lt;甲&gt;</span> (04595257)'
    assert chinese_text == "&lt;甲&gt;（04595257）"
