"""Browser: on the staff's application page the 審查委員 card keeps the page's gap below the two
cards above it (資格自動檢核, 資格審查); it touched them, the grid's cards having no bottom
margin and the grid none either."""

from io import StringIO

import pytest
from django.core.management import call_command

from aipower.applications.models import Application
from tests.e2e.test_review_batch import staff_page

pytestmark = pytest.mark.django_db(transaction=True)

GAP = """() => {
  const grid = document.querySelector("main .grid");
  const next = grid.nextElementSibling;
  return next.getBoundingClientRect().top - grid.getBoundingClientRect().bottom;
}"""


def test_the_reviewers_card_keeps_its_gap_below_the_eligibility_cards(browser, live_server):
    call_command("load_demo", stdout=StringIO())
    page = staff_page(browser, live_server, "organiser")
    application = Application.objects.get(number="AP115-I-0001")

    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/staff/review/application/{application.pk}/")
        assert page.locator("main .grid + .card #assign-title").count() == 1
        assert page.evaluate(GAP) >= 16, width
    page.context.close()
