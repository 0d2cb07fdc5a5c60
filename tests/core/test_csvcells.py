"""CSV cells that a spreadsheet reads as text, never as a formula."""

import pytest

from aipower.core.csvcells import csv_download, safe_cell

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


def test_csv_download_is_an_attachment_with_a_bom():
    response, writer = csv_download("x.csv")
    writer.writerow(["統一編號", "a,b"])

    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert response.content.decode("utf-8") == '\ufeff統一編號,"a,b"\r\n'
