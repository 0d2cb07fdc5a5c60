"""The staff's print page and PDF of an application say when the printed version was sent: after
a supplement (補件) the reviewed version is a later one, and its time is shown (the first
submission's beside it, labelled) instead of only the first submission's."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from aipower.applications import flow
from aipower.applications.models import ApplicationVersion
from aipower.applications.services import format_taipei, update_after_submission
from aipower.core.templatetags.roc import roc_datetime
from aipower.review import services
from tests.applications.conftest import as_form_data

from .conftest import refresh, verified_client
from .test_read_back_groups import pdf_lines

pytestmark = pytest.mark.integration


@pytest.fixture
def resubmitted(app_a, operator, company_a):
    """app_a sent three days ago, asked for a supplement, corrected (version 2) and re-sent."""
    earlier = timezone.now() - datetime.timedelta(days=3)
    type(app_a).objects.filter(pk=app_a.pk).update(submitted_at=earlier)
    ApplicationVersion.objects.filter(application=app_a, number=1).update(created_at=earlier)
    services.freeze_batch(app_a.batch, operator)
    services.request_supplement(
        refresh(app_a),
        operator,
        message="請補充訓練資料集說明",
        deadline=timezone.now() + datetime.timedelta(days=7),
        steps=["training-2"],
    )
    app = refresh(app_a)
    step = flow.get_step("training-2")
    values = {**step.stored(app), "dataset_description": "補充：公開照護問答資料集"}
    form = step.get_form(app, as_form_data(values), draft=False)
    assert form.is_valid(), form.errors
    app, version = update_after_submission(app, step, form, revision=app.revision, user=company_a)
    services.answer_supplement(app, company_a)
    assert services.reviewed_version(refresh(app)).number == 2
    return refresh(app), version


def test_print_page_shows_the_printed_versions_time_and_the_first_submission(resubmitted, operator):
    app, version = resubmitted

    html = (
        verified_client(operator)
        .get(reverse("review:application_print", args=[app.pk]))
        .content.decode()
    )

    assert (
        f"<p>本版更新時間：{roc_datetime(version.created_at)}　第 2 版　"
        f"首次送出時間：{roc_datetime(app.submitted_at)}</p>"
    ) in html
    assert f"送出時間：{roc_datetime(app.submitted_at)}　第 2 版" not in html


def test_print_page_of_a_first_version_keeps_the_submission_time(app_a, operator):
    html = (
        verified_client(operator)
        .get(reverse("review:application_print", args=[app_a.pk]))
        .content.decode()
    )

    assert f"<p>送出時間：{roc_datetime(app_a.submitted_at)}　第 1 版</p>" in html


def test_pdf_shows_the_printed_versions_time_and_the_first_submission(resubmitted, operator):
    app, version = resubmitted

    response = verified_client(operator).get(reverse("review:application_pdf", args=[app.pk]))

    # The PDF's text reads back each ideographic space as a plain one.
    texts = [text.replace("\u3000", " ") for _bold, text in pdf_lines(response.content)]
    assert (
        f"本版更新時間：{format_taipei(version.created_at)} 版次：2 "
        f"首次送出時間：{format_taipei(app.submitted_at)}"
    ) in texts


def test_print_page_and_pdf_are_titled_as_the_programme_names_the_form(app_a, operator):
    """The programme's form is 「115年算力平台使用申請書（模型訓練類）」 — the title the applicant's
    own print has; the staff's print page and PDF said 「115年度 算力平台申請說明」, the name of
    the call's instructions."""
    client = verified_client(operator)
    title = f"{app_a.call.year}年算力平台使用申請書（{app_a.get_category_display()}）"

    html = client.get(reverse("review:application_print", args=[app_a.pk])).content.decode()
    pdf = client.get(reverse("review:application_pdf", args=[app_a.pk])).content

    assert f"<h1>{title} {app_a.number}</h1>" in html
    assert f"<title>{title} {app_a.number}" in html
    assert "申請說明" not in html.split("<h1>")[1].split("</h1>")[0]
    assert f"{title} {app_a.number}" in [text for _bold, text in pdf_lines(pdf)]
