"""CSV cells that a spreadsheet reads as text, never as a formula."""

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from aipower.core.csvcells import csv_download, csv_stream, safe_cell

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


def test_csv_stream_writes_rows_as_they_come_in_the_requests_language():
    made = []

    def rows():
        for n in range(3):
            made.append(n)
            yield [n, _("點數")]

    with translation.override("en"):
        response = csv_stream("x.csv", rows())
    assert made == []  # nothing made before the response is read

    chunks = list(response.streaming_content)  # read after the view returned, no language on

    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert b"".join(chunks).decode("utf-8") == "\ufeff0,Points\r\n1,Points\r\n2,Points\r\n"
    assert len(chunks) == 4
