"""Where the header's language switch returns to: the page itself, or — after a form's POST —
the page the form was on (a URL that takes only POST would answer the switch with 405)."""

import pytest
from django.test import RequestFactory

from aipower.core.context_processors import language_next

pytestmark = pytest.mark.unit

factory = RequestFactory()


def test_a_page_returns_to_itself_with_its_query():
    assert language_next(factory.get("/announcements/?page=2")) == "/announcements/?page=2"


def test_after_a_post_returns_to_the_page_the_form_was_on():
    request = factory.post("/keys/new/", HTTP_REFERER="http://testserver/keys/?x=1")

    assert language_next(request) == "/keys/?x=1"


@pytest.mark.parametrize("referer", ["", "https://evil.example/keys/", "javascript:alert(1)"])
def test_after_a_post_without_a_referer_of_this_site_returns_home(referer):
    request = factory.post("/keys/new/", HTTP_REFERER=referer)

    assert language_next(request) == "/"
