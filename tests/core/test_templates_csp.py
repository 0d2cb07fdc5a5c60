"""Every template of the site holds to the Content-Security-Policy (``script-src 'self'``,
``style-src 'self'``, no ``'unsafe-inline'``): no inline script, no event-handler attribute, no
style attribute or element, no ``javascript:`` URL. The browser would block them silently; here
they fail at once, whichever page draws them."""

import re
from pathlib import Path

import pytest

import aipower

pytestmark = pytest.mark.unit

SOURCE = Path(aipower.__file__).resolve().parent
FORBIDDEN = {
    "inline script": re.compile(
        r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I
    ),
    "event handler": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I),
    "style attribute": re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I),
    "style element": re.compile(r"<style\b", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


def templates():
    return sorted(SOURCE.glob("*/templates/**/*.html"))


def test_there_are_templates_to_check():
    assert len(templates()) > 50


@pytest.mark.parametrize("kind", sorted(FORBIDDEN))
def test_no_template_has_what_the_csp_blocks(kind):
    pattern = FORBIDDEN[kind]
    found = [
        f"{path.relative_to(SOURCE)}:{text[: match.start()].count(chr(10)) + 1}"
        for path in templates()
        for text in [path.read_text(encoding="utf-8")]
        for match in pattern.finditer(text)
    ]

    assert found == []


def test_every_link_opening_a_new_window_says_so():
    """A link with target="_blank" tells screen-reader users that it opens a new window (WCAG
    3.2.5 advisory, G201): the hidden words of ``core/_new_window.html`` inside the link."""
    import re

    unsaid = []
    for path in templates():
        text = path.read_text(encoding="utf-8")
        for opening in re.finditer(r"<a\b[^>]*target=\"_blank\"[^>]*>", text):
            inside = text[opening.end() : text.index("</a>", opening.end())]
            if '{% include "core/_new_window.html" %}' not in inside:
                unsaid.append(f"{path.name}: {opening.group(0)[:80]}")
    assert unsaid == []
