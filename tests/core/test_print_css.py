"""The site's print rules (core/css/site.css): on paper, navigation, buttons, filters and the
trail back are left out, tables fit the page with their headings repeated on every page, folded
tables are unfolded, link targets are written out, and the print-only line is shown."""

from pathlib import Path

import pytest

import aipower.core
from tests.printing import print_rules, selectors_with

pytestmark = pytest.mark.unit

CSS = (Path(aipower.core.__file__).parent / "static" / "core" / "css" / "site.css").read_text()


def test_navigation_buttons_filters_and_trail_are_not_printed():
    hidden = selectors_with(CSS, "display: none")

    assert {".site-nav", ".header-tools", ".btn", ".actions", ".no-print"} <= hidden
    assert {'form[method="get"]', ".breadcrumb"} <= hidden


def test_tables_repeat_their_headings_keep_rows_whole_and_wrap_headings():
    assert ".table thead" in selectors_with(CSS, "display: table-header-group")
    assert ".table tr" in selectors_with(CSS, "break-inside: avoid")
    assert ".table-wrap" in selectors_with(CSS, "overflow: visible")
    assert {".table thead th", ".table thead .num"} <= selectors_with(CSS, "white-space: normal")


def test_folded_tables_are_printed_unfolded():
    assert "details::details-content" in selectors_with(CSS, "content-visibility: visible")


def test_link_targets_are_written_out():
    assert 'main a[href^="http"]::after' in selectors_with(CSS, 'content: " (" attr(href) ")"')


def test_the_print_only_line_shows_on_paper_and_not_on_screen():
    assert ".print-only" in selectors_with(CSS, "display: block !important")
    screen = CSS.split("@media print", 1)[0]
    assert ".print-only {\n  display: none;\n}" in screen
    assert any(".print-meta" in selectors for selectors, _ in print_rules(CSS))


def test_in_a_table_small_print_stays_small_and_state_badges_may_wrap():
    assert ".table .small" in selectors_with(CSS, "font-size: 0.85em")
    assert ".table .badge" in selectors_with(CSS, "white-space: normal")
