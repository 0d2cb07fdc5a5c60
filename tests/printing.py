"""Helpers of the print tests: the line a printed page carries (shown on paper only) and the
times it may say it was printed at."""

import contextlib
import re

from django.utils import timezone, translation

from aipower.core.templatetags.roc import roc_datetime

PRINT_META = '<p class="print-only print-meta" id="print-meta">'


def print_meta(html):
    """The text of the page's print line."""
    assert PRINT_META in html, "the page has no print line"
    return html.split(PRINT_META, 1)[1].split("</p>", 1)[0]


@contextlib.contextmanager
def printing_times(language):
    """Yields a list filled, on exit, with the times (as the page writes them in ``language``)
    between entering and leaving: the request made inside printed at one of them."""
    times = []
    before = timezone.now()
    yield times
    after = timezone.now()
    with translation.override(language):
        times.extend({roc_datetime(before), roc_datetime(after)})


def _block_length(body):
    """How far the block whose opening brace precedes ``body`` runs."""
    depth = 1
    for index, char in enumerate(body):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0:
            return index
    return len(body)


def print_rules(css):
    """The rules inside a stylesheet's ``@media print`` blocks: (selectors, declarations) pairs,
    comments left out."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    rules = []
    for block in css.split("@media print")[1:]:
        body = block.split("{", 1)[1]
        body = body[: _block_length(body)]
        for selectors, declarations in re.findall(r"([^{}]+)\{([^{}]*)\}", body):
            rules.append(
                ({s.strip() for s in selectors.split(",")}, " ".join(declarations.split()))
            )
    return rules


def selectors_with(css, declaration):
    """Every selector of the print rules that has ``declaration`` (e.g. ``display: none``)."""
    return set().union(*(sel for sel, decl in print_rules(css) if declaration in decl))
