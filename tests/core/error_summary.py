"""Reading the error summary (core/_error_summary.html) out of a page, for the tests of the
pages that include it."""

import re

SUMMARY_OPEN = (
    '<div class="notice notice-error error-summary" role="alert" tabindex="-1" '
    'id="error-summary" data-focus-on-load>'
)


def _block(content):
    assert content.count('id="error-summary"') == 1
    return content.split(SUMMARY_OPEN, 1)[1].split("</div>", 1)[0]


def summary(content):
    """The error summary's heading and its items (link target and text, or plain text)."""
    block = _block(content)
    heading = re.search(r"<h2 [^>]*>(.*?)</h2>", block).group(1)
    items = [
        re.sub(r'<a href="(#[\w-]+)">(.*?)</a>', r"\1 \2", item.strip())
        for item in re.findall(r"<li>(.*?)</li>", block, re.S)
    ]
    return heading, items


def link_targets(content):
    """The ids the summary's links point at."""
    return re.findall(r'<a href="#([\w-]+)">', _block(content))
