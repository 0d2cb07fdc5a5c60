"""After the company answered a supplement request (補件), the staff's application page marks
the pages it changed since the request — by the wizard's page titles, with when — and names
the fields changed on each (before, it showed the new version without saying what changed)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from aipower.applications import flow
from aipower.applications.services import update_after_submission
from aipower.core.templatetags.roc import roc_datetime
from aipower.review import services
from tests.applications.conftest import as_form_data

from .conftest import refresh, verified_client

pytestmark = pytest.mark.integration


def ask(app, operator):
    return services.request_supplement(
        refresh(app),
        operator,
        message="請補充訓練資料集說明",
        deadline=timezone.now() + datetime.timedelta(days=7),
        steps=["training-2"],
    )


def change(app, user, identifier, **answers):
    app = refresh(app)
    step = flow.get_step(identifier)
    form = step.get_form(app, as_form_data({**step.stored(app), **answers}), draft=False)
    assert form.is_valid(), form.errors
    _app, version = update_after_submission(app, step, form, revision=app.revision, user=user)
    return step, version


def section_of(html, identifier):
    return html.split(f'id="section-{identifier}"')[1].split("</section>")[0]


@pytest.fixture
def answered(app_a, operator, company_a):
    """A supplement request answered with one changed field on training-2: (the request, the
    page's step, the version made, the staff application page's HTML)."""
    supplement = ask(app_a, operator)
    step, version = change(
        app_a, company_a, "training-2", dataset_description="補充：公開照護問答資料集"
    )
    services.answer_supplement(refresh(app_a), company_a)
    html = (
        verified_client(operator)
        .get(reverse("review:application", args=[app_a.pk]))
        .content.decode()
    )
    return supplement, step, version, html


def test_the_staff_page_marks_the_pages_and_fields_changed_after_a_supplement(answered):
    supplement, step, version, html = answered

    summary = html.split('id="supplement-changes">')[1].split("</p>")[0]
    assert f"自補件要求（{roc_datetime(supplement.requested_at)}）後變更之頁面：" in summary
    assert f'<a href="#section-training-2">{step.title}</a>' in summary
    assert summary.count("<a ") == 1
    changed = section_of(html, "training-2")
    assert f"補件後已變更（{roc_datetime(version.created_at)}）" in changed
    label = str(step.form_class.base_fields["dataset_description"].label)
    assert f"補件後變更之欄位：{label}" in changed
    for other in ("training-1", "training-3"):
        if f'id="section-{other}"' in html:
            assert "補件後已變更" not in section_of(html, other)


def test_a_supplement_answered_without_changes_says_so(app_a, operator, company_a):
    supplement = ask(app_a, operator)
    services.answer_supplement(refresh(app_a), company_a)

    html = (
        verified_client(operator)
        .get(reverse("review:application", args=[app_a.pk]))
        .content.decode()
    )

    requested = roc_datetime(supplement.requested_at)
    assert f"自補件要求（{requested}）後，申請人未變更任何頁面。" in html
    assert "補件後已變更" not in html


def test_changes_before_the_supplement_request_are_not_marked(app_a, operator, company_a):
    """An update made before the request (while the batch took updates) is not the answer."""
    change(app_a, company_a, "training-2", dataset_description="送出後自行更新")

    html = (
        verified_client(operator)
        .get(reverse("review:application", args=[app_a.pk]))
        .content.decode()
    )

    assert 'id="supplement-changes"' not in html
    assert "補件後已變更" not in html


def test_the_changed_answer_is_highlighted_in_its_own_row(answered):
    """Beside the list under the page's title, the row of each changed answer is marked (a
    class the page highlights, and the words, so it does not rest on colour alone)."""
    _supplement, step, _version, html = answered

    section = section_of(html, "training-2")
    label = str(step.form_class.base_fields["dataset_description"].label)
    rows = [row for row in section.split("<tr")[1:] if "</th>" in row]
    marked = [row for row in rows if 'class="answer-changed"' in row]
    assert len(marked) == 1
    badge = '<span class="badge badge-success">補件後已變更</span>'
    assert f'scope="row">{label} {badge}' in marked[0]
    assert "補充：公開照護問答資料集" in marked[0]
    assert all("補件後已變更</span>" not in row for row in rows if row not in marked)
    assert 'class="answer-changed"' not in html.split('id="section-training-2"')[0]
