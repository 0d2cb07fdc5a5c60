"""CSV cells that a spreadsheet reads as text, never as a formula."""

import pytest

from aipower.core.csvcells import safe_cell

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+886", "'+886"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("晴空智能股份有限公司", "晴空智能股份有限公司"),
        (1200, "1200"),
        ("", ""),
    ],
)
def test_safe_cell_quotes_what_starts_like_a_formula(value, cell):
    assert safe_cell(value) == cell
