"""The wizard's pages against 02-forms.md and the programme document, as an applicant reads them."""

import pytest
from django.urls import reverse

from aipower.applications.enums import ApplicationState
from aipower.applications.models import Application

from .conftest import INFERENCE, PLEDGE, begin_application, save_page
from .test_views import fill_through_views, post_step, step_url

pytestmark = pytest.mark.integration


def test_profile_says_the_second_contact_is_optional_and_what_it_then_needs(
    open_call, company_client
):
    begin_application(company_client)

    content = company_client.get(step_url("profile")).content.decode()

    assert (
        '<p class="help" id="id_contact2_name_helptext">選填；填寫專案聯絡人(2)任一欄位時，'
        "姓名、一個聯絡電話（市話或行動電話）及電子信箱為必填</p>"
    ) in content


@pytest.mark.parametrize(
    ("category", "page", "first"),
    [
        ("training", "training-3", "1. 預計產出模型（項）"),
        ("inference", "inference-3", "1. 產出應用（項）"),
    ],
)
def test_expected_benefits_group_the_counts_under_quantified_benefits(
    open_call, company_client, category, page, first
):
    begin_application(company_client)
    post_step(company_client, "category", {"category": category})

    response = company_client.get(step_url(page))

    headings = [fieldset["heading"] for fieldset in response.context["fieldsets"]]
    assert headings[:3] == ["7. 預期效益合理性", "● 量化效益", "● 加分項目"]
    quantified = response.context["fieldsets"][1]["fields"]
    assert quantified[0].label == first
    assert quantified[-1].name == "deliverables_agree"
    content = response.content.decode()
    assert content.index("<h3>7. 預期效益合理性</h3>") < content.index("<h3>● 量化效益</h3>")


def test_a_long_answer_is_never_cut_by_the_browser_but_refused_with_its_limit(
    open_call, company_client
):
    begin_application(company_client)
    post_step(company_client, "category", {"category": "training"})
    pasted = "高齡照護" * 751  # 3,004 characters, over the 3,000 of a long text

    shown = company_client.get(step_url("training-2")).content.decode()
    response = post_step(company_client, "training-2", {"importance": pasted})

    assert "maxlength" not in shown
    assert response.status_code == 200
    assert "專案重要性最多 3000 字，目前 3004 字，請精簡後再儲存" in response.content.decode()
    assert Application.objects.get().section("training")["importance"] == pasted


def test_after_a_category_switch_the_pledge_page_asks_to_confirm_the_new_category(
    complete_training, company_user, company_client
):
    app = save_page(complete_training, company_user, "category", {"category": "inference"})
    for identifier, values in INFERENCE.items():
        app = save_page(app, company_user, identifier, values)

    response = company_client.get(step_url("pledge"))

    form = response.context["form"]
    assert form["category_confirmed"].label.startswith("本公司已確認申請「模型推論類」")
    assert form["category_confirmed"].value() in (None, False)
    assert form["understood"].value() is True
    content = response.content.decode()
    assert 'name="category_confirmed" id="id_category_confirmed">' in content
    assert 'name="category_confirmed" id="id_category_confirmed" checked>' not in content


def test_sending_while_the_organiser_has_paused_the_call_says_so_and_keeps_the_draft(
    open_call, company_client
):
    fill_through_views(company_client, upto="pledge")
    open_call.is_suspended = True
    open_call.save()

    response = post_step(company_client, "pledge", PLEDGE)

    content = response.content.decode()
    assert "主辦單位已暫停收件，目前無法送出申請；您的草稿已保留" in content
    assert "已超過收件截止時間" not in content
    app = Application.objects.get()
    assert (app.state, app.data["training"]["topic"]) == (ApplicationState.DRAFT, "高齡照護GPT")


def test_apply_while_the_call_is_paused_says_it_is_paused_not_closed(open_call, company_client):
    open_call.is_suspended = True
    open_call.save()

    content = company_client.get(reverse("applications:index")).content.decode()

    assert (
        "目前非收件期間，無法建立新的申請案。 主辦單位已暫停收件，恢復收件時將另行公告。" in content
    )
    assert "收件截止" not in content
    assert Application.objects.count() == 0


def test_every_draft_page_says_it_cannot_be_sent_while_the_call_is_paused(
    open_call, company_client
):
    fill_through_views(company_client, upto="training-2")
    shown_open = company_client.get(step_url("training-2")).content.decode()
    open_call.is_suspended = True
    open_call.save()

    shown_paused = company_client.get(step_url("training-2")).content.decode()

    assert 'id="call-not-open"' not in shown_open
    assert (
        '<p class="notice notice-warning" id="call-not-open">主辦單位已暫停收件，目前無法送出申請；'
        "您的草稿已保留，恢復收件時將另行公告。</p>"
    ) in shown_paused
