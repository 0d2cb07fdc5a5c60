"""Browser: the audit log's names and labels wrap between words, never inside one. The page's
tables let any cell break anywhere (for long fingerprints and URLs), so the log's narrow
columns cut the actor's username and the action's label mid-word: 「organis|er」 at 1280 px,
「Applic|ation state chang|ed」 at 375 px. Only the codes beneath may break anywhere."""

from io import StringIO

import pytest
from django.core.management import call_command

from tests.e2e.test_review_batch import staff_page

pytestmark = pytest.mark.django_db(transaction=True)

# Each Latin word (a username, a label in English, an address) of the time, actor, action, object
# and address cells, outside <code>, that the browser laid out on more than one line.
WORDS_CUT = """() => {
  const cut = [];
  for (const cell of document.querySelectorAll("#audit-entries tbody td:not(.audit-data)")) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest("code")) continue;
      for (const match of node.data.matchAll(/[A-Za-z0-9][\\w.:@]*/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (lines.size > 1) cut.push(match[0]);
      }
    }
  }
  return cut;
}"""


@pytest.mark.parametrize("language", ["zh-hant", "en"])
def test_audit_log_cuts_no_name_or_label_inside_a_word(browser, live_server, language):
    call_command("load_demo", stdout=StringIO())
    page = staff_page(browser, live_server, "organiser")
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/staff/review/audit/")
        assert page.locator("#audit-entries tbody tr").count() > 20
        assert page.evaluate(WORDS_CUT) == [], width
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.context.close()
