"""Integration tests of the wizard's pages through the test client."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from aipower.applications import services
from aipower.applications.enums import ApplicationState
from aipower.applications.models import Application, ApplicationVersion, SentMail

from .conftest import DECLARATION, PLEDGE, PROFILE, TRAINING, begin_application

pytestmark = pytest.mark.integration


def step_url(identifier):
    return reverse("applications:step", args=[identifier])


def post_step(client, identifier, values):
    app = Application.objects.get()
    return client.post(step_url(identifier), {**values, "revision": app.revision})


def fill_through_views(client, upto=None):
    pages = [
        ("category", {"category": "training"}),
        ("terms", {}),
        ("profile", PROFILE),
        ("declaration", DECLARATION),
        *TRAINING.items(),
        ("pledge", PLEDGE),
    ]
    begin_application(client)
    for identifier, values in pages:
        if identifier == upto:
            return None
        response = post_step(client, identifier, values)
        assert response.status_code == 302, (
            identifier,
            response.context and response.context["form"].errors,
        )
    return response


def test_anonymous_user_is_sent_to_login(open_call):
    response = Client().get(reverse("applications:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_start_button_starts_draft_at_category_step(open_call, company_client, company_user):
    response = begin_application(company_client)

    assert response.status_code == 302
    assert response["Location"] == step_url("category")
    app = Application.objects.get()
    assert (app.company, app.call, app.state) == (
        company_user.company,
        open_call,
        ApplicationState.DRAFT,
    )


def test_index_resumes_at_saved_step_after_new_login(open_call, company_client, company_user):
    fill_through_views(company_client, upto="declaration")
    fresh = Client()
    fresh.force_login(company_user)

    response = fresh.get(reverse("applications:index"))

    assert response["Location"] == step_url("declaration")


def test_category_page_shows_options_and_note(open_call, company_client):
    begin_application(company_client)

    response = company_client.get(step_url("category"))

    content = response.content.decode()
    assert "模型訓練類" in content
    assert "模型推論類" in content
    assert "*請注意，完成「送出」動作後，則不可更動申請類別。" in content


def test_profile_page_labels_readonly_company_and_notice(open_call, company_client):
    begin_application(company_client)

    response = company_client.get(step_url("profile"))

    content = response.content.decode()
    form = response.context["form"]
    assert form.fields["company_name"].disabled and form.fields["ubn"].disabled
    assert 'value="示範智能股份有限公司"' in content
    for label in ["專案主持人連絡電話(公司)市話", "專案聯絡人行動電話", "行業分類", "公司簡介"]:
        assert label in content
    assert "市話號碼 格式:區碼-號碼#分機(例: 02 12345678#123)" in content
    assert "6、本署因業務需要而委託其他機關處理您的個人資料時" in content
    assert "儲存會員資料, 下一步" in content


def test_draft_post_keeps_invalid_input_and_shows_errors(open_call, company_client):
    begin_application(company_client)

    response = post_step(company_client, "profile", {**PROFILE, "pi_phone": "12-34"})

    assert response.status_code == 200
    content = response.content.decode()
    assert 'value="12-34"' in content
    assert "市話號碼格式不正確" in content
    assert 'class="errorlist' in content
    app = Application.objects.get()
    assert app.data["profile"]["pi_phone"] == "12-34"
    assert app.data["profile"]["representative"] == "王大明"


def test_stale_revision_refused_and_current_version_shown(open_call, company_client):
    begin_application(company_client)
    post_step(company_client, "category", {"category": "training"})
    stale_revision = Application.objects.get().revision
    company_client.post(step_url("training-1"), {"topic": "第一個視窗", "revision": stale_revision})

    response = company_client.post(
        step_url("training-1"), {"topic": "第二個視窗", "revision": stale_revision}
    )

    assert response.status_code == 409
    content = response.content.decode()
    assert "資料已在其他視窗更新，請確認目前內容後再儲存" in content
    assert 'value="第二個視窗"' in content  # what this tab typed is kept in the form
    assert "另一視窗已儲存：第一個視窗" in content  # and what the other tab saved is shown
    assert Application.objects.get().data["training"]["topic"] == "第一個視窗"

    again = company_client.post(
        step_url("training-1"),
        {"topic": "第二個視窗", "revision": response.context["application"].revision},
    )

    assert again.status_code in (200, 302)
    assert Application.objects.get().data["training"]["topic"] == "第二個視窗"


def test_progress_header_marks_done_and_current_steps(open_call, company_client):
    fill_through_views(company_client, upto="profile")

    response = company_client.get(step_url("profile"))

    content = response.content.decode()
    assert '<ol class="steps">' in content
    assert f'<li class="done">\n        <a href="{step_url("category")}" data-step="category">' in (
        content
    )
    assert 'class=" current" aria-current="step"' in content
    assert [item["step"].identifier for item in response.context["progress"]][-2:] == [
        "pledge",
        "done",
    ]


def test_submit_redirects_to_done_and_sends_mail(open_call, company_client):
    response = fill_through_views(company_client)

    assert response["Location"] == step_url("done")
    app = Application.objects.get()
    assert app.number == "AP115-T-0001"
    done = company_client.get(step_url("done")).content.decode()
    assert "您已完成申請表單" in done
    assert "檢視或更新申請表" in done
    assert "AP115-T-0001" in done
    assert len(mail.outbox) == 1
    assert SentMail.objects.get().application == app


def test_incomplete_submit_redirects_to_first_incomplete_step_with_errors(
    open_call, company_client
):
    fill_through_views(company_client, upto="training-2")

    response = post_step(company_client, "pledge", PLEDGE)

    assert response["Location"] == step_url("training-2") + "?check=1"
    page = company_client.get(response["Location"])
    assert "請填寫專案重要性" in page.content.decode()
    assert Application.objects.get().state == ApplicationState.DRAFT


def test_submit_after_deadline_refused_with_message_and_draft_kept(open_call, company_client):
    fill_through_views(company_client, upto="pledge")
    open_call.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    open_call.save()

    response = post_step(company_client, "pledge", PLEDGE)

    assert response.status_code == 200
    assert "已超過收件截止時間" in response.content.decode()
    app = Application.objects.get()
    assert (app.state, app.number) == (ApplicationState.DRAFT, None)
    assert app.data["training"]["topic"] == "高齡照護GPT"


def test_update_after_submission_through_view_creates_version(open_call, company_client):
    fill_through_views(company_client)

    response = post_step(
        company_client, "training-1", {**TRAINING["training-1"], "topic": "新主題"}
    )

    assert response["Location"] == step_url("training-2")
    version = ApplicationVersion.objects.get(number=2)
    assert version.changed_fields == ["training.topic"]


def test_update_after_submission_invalid_is_not_saved(open_call, company_client):
    fill_through_views(company_client)

    response = post_step(company_client, "training-1", {**TRAINING["training-1"], "topic": ""})

    assert response.status_code == 400
    assert Application.objects.get().data["training"]["topic"] == "高齡照護GPT"


def test_category_locked_after_submission_through_view(open_call, company_client):
    fill_through_views(company_client)

    response = post_step(company_client, "category", {"category": "inference"})
    page = company_client.get(step_url("category"))

    assert response["Location"] == reverse("applications:dashboard")
    assert Application.objects.get().category == "training"
    assert page.context["form"].fields["category"].disabled
    assert page.context["editable"] is False


def test_update_sent_after_cutoff_is_refused_and_shows_back_what_was_typed(
    open_call, company_client
):
    fill_through_views(company_client)
    app = Application.objects.get()
    app.batch.cutoff_at = timezone.now() - datetime.timedelta(minutes=1)
    app.batch.save()

    response = post_step(
        company_client, "training-1", {**TRAINING["training-1"], "topic": "截止前打好的新主題"}
    )

    assert response.status_code == 409
    html = response.content.decode()
    assert "審查梯次已截止收件，申請表已凍結，無法再更新" in html
    typed = html[
        html.index('id="typed-title"') : html.index("</section>", html.index('id="typed-title"'))
    ]
    assert "<td>截止前打好的新主題</td>" in typed
    assert response.context["form"].fields["topic"].disabled
    assert response.context["form"]["topic"].value() == "高齡照護GPT"
    assert Application.objects.get().data["training"]["topic"] == "高齡照護GPT"
    assert services.is_frozen(Application.objects.get())


def test_invalid_update_sent_after_cutoff_still_shows_back_what_was_typed(
    open_call, company_client
):
    fill_through_views(company_client)
    app = Application.objects.get()
    app.batch.cutoff_at = timezone.now() - datetime.timedelta(minutes=1)
    app.batch.save()

    response = post_step(company_client, "profile", {**PROFILE, "pi_phone": "12-34"})

    assert response.status_code == 409
    assert "<td>12-34</td>" in response.content.decode()
    assert Application.objects.get().data["profile"]["pi_phone"] == "02-12345678#123"


def test_dashboard_shows_draft_status(open_call, company_client):
    fill_through_views(company_client, upto="profile")

    content = company_client.get(reverse("applications:dashboard")).content.decode()

    assert "草稿" in content
    assert "申請案尚未送出" in content
    assert step_url("profile") in content


def test_dashboard_shows_submitted_batch_and_review_date(open_call, company_client):
    fill_through_views(company_client)
    app = Application.objects.get()

    content = company_client.get(reverse("applications:dashboard")).content.decode()

    assert "已送出" in content
    assert "AP115-T-0001" in content
    assert f"<td>第{'一二三四五六'[app.batch.number - 1]}梯次</td>" in content
    review = app.batch.review_date
    assert f"{review.year - 1911}年{review.month:02d}月{review.day:02d}日" in content
    assert reverse("applications:receipt", args=[app.pk]) in content


def test_dashboard_lists_the_notices_mailed_to_the_company(open_call, company_client):
    fill_through_views(company_client)
    app = Application.objects.get()
    receipt = SentMail.objects.get(application=app)

    content = company_client.get(reverse("applications:dashboard")).content.decode()

    assert 'id="mails"' in content
    assert f"</span> {receipt.subject}</summary>" in content
    assert app.fingerprint in content  # the receipt's body, shown when opened


def test_receipt_and_printable_view_show_fingerprint(open_call, company_client):
    fill_through_views(company_client)
    app = Application.objects.get()

    receipt = company_client.get(reverse("applications:receipt", args=[app.pk]))
    printable = company_client.get(reverse("applications:view", args=[app.pk]))

    assert app.fingerprint in receipt.content.decode()
    content = printable.content.decode()
    assert app.fingerprint in content
    assert "高齡照護GPT" in content
    assert "2132x1231" in content
    assert "醫療健康" in content


@pytest.mark.parametrize("name", ["applications:receipt", "applications:view"])
def test_other_company_gets_404(open_call, company_client, other_company_user, name):
    fill_through_views(company_client)
    app = Application.objects.get()
    other = Client()
    other.force_login(other_company_user)

    response = other.get(reverse(name, args=[app.pk]))

    assert response.status_code == 404


def test_other_company_wizard_never_shows_first_company_answers(
    open_call, company_client, other_company_user
):
    fill_through_views(company_client, upto="pledge")
    other = Client()
    other.force_login(other_company_user)
    begin_application(other)

    response = other.get(step_url("category"))

    assert Application.objects.count() == 2
    assert response.context["application"].company == other_company_user.company
    assert "高齡照護GPT" not in other.get(step_url("profile")).content.decode()


def test_no_new_application_when_call_closed(call_115, company_client):
    response = company_client.get(reverse("applications:index"))

    assert response.status_code == 200
    assert "目前非收件期間" in response.content.decode()
    assert Application.objects.count() == 0


def test_pages_have_no_inline_script_or_style(open_call, company_client):
    fill_through_views(company_client, upto="training-2")

    content = company_client.get(step_url("training-2")).content.decode()

    assert "<script>" not in content
    assert "style=" not in content
    assert "範例" in content


def test_wizard_page_in_english(open_call, company_client):
    begin_application(company_client)
    company_client.cookies["django_language"] = "en"

    response = company_client.get(step_url("category"))

    content = response.content.decode()
    assert "Choose the application category" in content
    assert "*Please note: once you have submitted" in content


def test_profile_industries_in_english(open_call, company_client):
    fill_through_views(company_client, upto="terms")
    company_client.cookies["django_language"] = "en"

    content = company_client.get(step_url("profile")).content.decode()

    assert "J582 (Software publishing)" in content
    assert "軟體出版業" not in content


def test_post_without_revision_is_refused_as_stale(open_call, company_client):
    begin_application(company_client)

    response = company_client.post(step_url("category"), {"category": "training"})

    assert response.status_code == 409
    assert Application.objects.get().category == ""


def test_empty_dataset_warns_but_advances(open_call, company_client):
    fill_through_views(company_client, upto="training-2")
    values = {
        **TRAINING["training-2"],
        "speech_hours": "0",
        "video_hours": "0",
        "video_resolution": "0",
        "image_count": "0",
        "image_resolution": "0",
    }

    response = post_step(company_client, "training-2", values)

    assert response["Location"] == step_url("training-3")
    page = company_client.get(response["Location"]).content.decode()
    assert "各類訓練資料皆為0" in page


def test_printable_view_shows_registration_date_in_roc(open_call, company_client):
    fill_through_views(company_client)
    app = Application.objects.get()

    content = company_client.get(reverse("applications:view", args=[app.pk])).content.decode()

    assert "108年03月01日" in content


def test_profile_prefilled_from_registry(open_call):
    from aipower.registry.services import import_demo_registry

    from .conftest import make_company_user

    import_demo_registry()
    user = make_company_user("84700087", "晴空智能股份有限公司")
    client = Client()
    client.force_login(user)
    begin_application(client)

    form = client.get(step_url("profile")).context["form"]

    assert form.initial["founded_on"] == "2021-03-15"
    assert form.initial["paid_in_capital"] == 25000000
    assert form.initial["address"] == "臺北市大安區光明里敦化南路２段７６號８樓"
    assert form.fields["founded_on"].help_text == "民國 110年03月15日"


def test_profile_saved_answers_win_over_registry(open_call):
    from aipower.registry.services import import_demo_registry

    from .conftest import make_company_user

    import_demo_registry()
    user = make_company_user("84700087", "晴空智能股份有限公司")
    client = Client()
    client.force_login(user)
    begin_application(client)
    post_step(client, "profile", {**PROFILE, "address": "新竹市東區光復路二段101號"})

    form = client.get(step_url("profile")).context["form"]

    assert form.initial["address"] == "新竹市東區光復路二段101號"
    assert form.initial["founded_on"] == "2019-03-01"


def test_category_post_from_stale_tab_after_submission_refused(open_call, company_client):
    fill_through_views(company_client, upto="pledge")
    revision = Application.objects.get().revision
    post_step(company_client, "pledge", PLEDGE)

    response = company_client.post(
        step_url("category"), {"category": "inference", "revision": revision}
    )

    assert response["Location"] == reverse("applications:dashboard")
    assert Application.objects.get().category == "training"


def test_receipt_in_english_writes_dates_and_batch_the_english_way(open_call, company_client):
    fill_through_views(company_client)
    app = Application.objects.get()
    company_client.cookies["django_language"] = "en"

    content = company_client.get(reverse("applications:receipt", args=[app.pk])).content.decode()

    sent = timezone.localtime(app.submitted_at)
    assert f"<td>{sent:%Y-%m-%d %H:%M:%S}</td>" in content
    review = app.batch.review_date.isoformat()
    assert f"Batch {app.batch.number} (planned review date {review})" in content
    assert "年" not in content.split("<main", 1)[1].split("</main>", 1)[0]


def test_printable_view_in_english_has_an_english_title_and_submission_time(
    open_call, company_client
):
    fill_through_views(company_client)
    app = Application.objects.get()
    company_client.cookies["django_language"] = "en"

    content = company_client.get(reverse("applications:view", args=[app.pk])).content.decode()

    year = app.call.year
    assert f"<h1>Compute platform application, ROC year {year} (Model training)</h1>" in content
    sent = timezone.localtime(app.submitted_at)
    assert f"<td>{sent:%Y-%m-%d %H:%M:%S}</td>" in content


def test_receipt_in_chinese_keeps_the_roc_dates(open_call, company_client):
    fill_through_views(company_client)
    app = Application.objects.get()

    content = company_client.get(reverse("applications:receipt", args=[app.pk])).content.decode()

    assert f"<td>{services.format_taipei(app.submitted_at)}</td>" in content
    review = app.batch.review_date
    assert (
        f"第{'一二三四五六'[app.batch.number - 1]}梯次（預計審查日 {review.year - 1911}年"
        f"{review.month:02d}月{review.day:02d}日）" in content
    )


def test_receipt_and_dashboard_in_english_write_the_company_with_english_parentheses(
    open_call, company_client
):
    fill_through_views(company_client)
    app = Application.objects.get()
    company_client.cookies["django_language"] = "en"

    receipt = company_client.get(reverse("applications:receipt", args=[app.pk])).content.decode()
    dashboard = company_client.get(reverse("applications:dashboard")).content.decode()

    # The name, typed in Chinese, is marked as such for screen readers.
    marked = '<td><span lang="zh-Hant">示範智能股份有限公司</span> (04595257)</td>'
    assert marked in receipt
    assert marked in dashboard
    assert "<td>示範智能股份有限公司（04595257）</td>" not in receipt + dashboard


def test_receipt_and_dashboard_in_chinese_write_the_company_with_full_width_parentheses(
    open_call, company_client
):
    fill_through_views(company_client)
    app = Application.objects.get()

    receipt = company_client.get(reverse("applications:receipt", args=[app.pk])).content.decode()
    dashboard = company_client.get(reverse("applications:dashboard")).content.decode()

    assert "<td>示範智能股份有限公司（04595257）</td>" in receipt
    assert "<td>示範智能股份有限公司（04595257）</td>" in dashboard


def test_the_sending_page_sent_again_says_it_was_sent_once(open_call, company_client):
    """The back button after 送出 (or a second click, or another tab) sends the pledge page
    again: no second submission, no second mail, and no error saying the page cannot change."""
    fill_through_views(company_client, upto="pledge")
    sent = {**PLEDGE, "revision": Application.objects.get().revision}
    company_client.post(step_url("pledge"), sent)
    company_client.get(step_url("done"))

    again = company_client.post(step_url("pledge"), sent)
    page = company_client.get(again["Location"])

    assert again["Location"] == step_url("done")
    assert [str(m) for m in get_messages(page.wsgi_request)] == [
        "此申請案已送出（申請編號：AP115-T-0001），本次未重複送出。"
    ]
    assert len(mail.outbox) == 1
    assert ApplicationVersion.objects.count() == 1


def test_a_page_sent_twice_goes_on_as_the_first_sending_did(open_call, company_client):
    """A second click on 下一步 (or the back button and 下一步 again) sends the page with the
    revision the first sending used up: what it says is already saved, so it is not refused as
    if another tab had saved something else."""
    fill_through_views(company_client, upto="profile")
    sent = {**PROFILE, "revision": Application.objects.get().revision}
    company_client.post(step_url("profile"), sent)
    revision = Application.objects.get().revision

    again = company_client.post(step_url("profile"), sent)

    assert again.status_code == 302
    assert again["Location"] == step_url("declaration")
    assert Application.objects.get().revision == revision
