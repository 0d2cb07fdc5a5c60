"""The programme document's notes on the form's pages (calls.FormNote): under the section they
name, or at the top of the page; in the visitor's language; editable data, not code."""

import re

import pytest
from django.urls import reverse

from aipower.calls.models import FormNote

from .conftest import fill_application

pytestmark = pytest.mark.integration


def step_url(identifier):
    return reverse("applications:step", args=[identifier])


def section_after(html, heading):
    """The HTML from ``heading``'s <h3> up to the next <h3>."""
    start = html.index(f"<h3>{heading}</h3>")
    end = html.find("<h3>", start + 1)
    return html[start : end if end != -1 else len(html)]


@pytest.fixture
def inference_app(draft, company_user):
    return fill_application(draft, company_user, "inference")


def test_note_is_shown_under_its_section(inference_app, company_client):
    html = company_client.get(step_url("inference-4")).content.decode()

    assert "115年重點新增，請填寫完整" in section_after(html, "8. 預計產品化階段說明")
    assert "115年重點新增" not in section_after(html, "9. 其他需求")


def test_the_documents_note_on_the_deliverables_templates_is_under_inference_section_7(
    inference_app, company_client
):
    html = company_client.get(step_url("inference-3")).content.decode()

    assert "結案報告、成果簡報等將提供公版格式。" in section_after(html, "7. 預期效益合理性")


def test_note_without_section_is_shown_at_the_top_of_the_page(inference_app, company_client):
    FormNote.objects.create(
        call=inference_app.call, page="inference-1", body_zh="請先閱讀模型清單", body_en="x"
    )

    html = company_client.get(step_url("inference-1")).content.decode()

    note = html.index("請先閱讀模型清單")
    assert note < html.index('name="revision"') < html.index("<h3>")


def test_notes_follow_the_language(inference_app, company_client):
    company_client.cookies["django_language"] = "en"

    html = company_client.get(step_url("inference-4"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "New and important in 115: please fill this in completely." in html
    assert "115年重點新增" not in html


def test_an_edited_note_is_shown_as_edited(inference_app, company_client):
    FormNote.objects.filter(call=inference_app.call, page="inference-4").update(
        body_zh="116年重點新增，請填寫完整"
    )

    html = company_client.get(step_url("inference-4")).content.decode()

    assert re.search(r"form-note\">116年重點新增，請填寫完整<", html)
    assert "115年重點新增" not in html
