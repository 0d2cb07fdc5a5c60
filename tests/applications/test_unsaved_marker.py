"""Which wizard pages wizard.js guards against being left with typing not saved: every editable
page (``data-warn-unsaved``), and from the start (``="shown"``) a page shown again with what was
typed but not saved — another tab saved first (409), or an update refused for its errors
(400). The browser's side is in tests/e2e/test_wizard_unsaved.py."""

import pytest

from aipower.applications.models import Application

from .conftest import TRAINING
from .test_views import fill_through_views, post_step, step_url

pytestmark = pytest.mark.integration


def marker(response):
    html = response.content.decode()
    start = html.index('<form method="post" action="/apply/')
    tag = html[start : html.index(">", start)]
    if "data-warn-unsaved" not in tag:
        return None
    return tag.split('data-warn-unsaved="', 1)[1].split('"', 1)[0]


def test_an_editable_page_is_guarded_once_something_is_typed(open_call, company_client):
    fill_through_views(company_client, upto="training-1")

    assert marker(company_client.get(step_url("training-1"))) == ""


def test_a_page_saved_elsewhere_meanwhile_is_guarded_from_the_start(open_call, company_client):
    fill_through_views(company_client, upto="training-1")
    revision = Application.objects.get().revision
    company_client.post(step_url("training-1"), {"topic": "第一個視窗", "revision": revision})

    response = company_client.post(
        step_url("training-1"), {"topic": "第二個視窗", "revision": revision}
    )

    assert response.status_code == 409
    assert marker(response) == "shown"


def test_an_update_refused_for_its_errors_is_guarded_from_the_start(open_call, company_client):
    fill_through_views(company_client)

    response = post_step(company_client, "training-1", {**TRAINING["training-1"], "topic": ""})

    assert response.status_code == 400
    assert marker(response) == "shown"


def test_a_read_only_page_is_not_guarded(open_call, company_client):
    fill_through_views(company_client)

    assert marker(company_client.get(step_url("category"))) is None
