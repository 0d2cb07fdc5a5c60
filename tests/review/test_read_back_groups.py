"""The staff read-back of an application (its page, the print page and the PDF) carries the
wizard's fieldset headings as row-group headers, as the applicant's printable view does
(tests/applications/test_read_back_groups.py): a reviewer tells the dataset's Hugging Face
address from the model's."""

import base64
import re
import zlib

import pytest
from django.urls import reverse

from aipower.review.views import version_sections
from tests.applications.test_read_back_groups import TRAINING_BENEFIT_GROUPS, rowgroups

from .conftest import verified_client

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("page", ["application", "application_print"])
def test_staff_read_back_groups_section_7_under_the_wizards_headings(page, app_a, operator):
    client = verified_client(operator)

    response = client.get(reverse(f"review:{page}", args=[app_a.pk]))

    assert response.status_code == 200
    assert rowgroups(response.content.decode(), "預期效益合理性") == TRAINING_BENEFIT_GROUPS
    head, body = response.content.decode().split("</head>", 1)
    assert "/static/applications/answers.css" in head  # linked in the head, not in the body
    assert "answers.css" not in body


def pdf_string(literal):
    """A PDF literal string's bytes (its backslash escapes undone)."""
    escapes = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}

    def undo(match):
        escaped = match.group(1)
        if escaped[:1].isdigit():
            return bytes([int(escaped, 8)])
        return escapes.get(escaped, escaped)

    return re.sub(rb"\\([0-7]{1,3}|.)", undo, literal, flags=re.S)


def pdf_lines(pdf):
    """(bold, text) of every text block of the PDF's pages, in drawing order; bold: drawn
    filled and stroked (text render mode 2). The CID font's text is UTF-16BE."""
    lines = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        content = zlib.decompress(base64.a85decode(b"<~" + stream.strip(), adobe=True))
        for block in re.findall(rb"\bBT\b(.*?)\bET\b", content, re.S):
            strings = re.findall(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", block, re.S)
            text = "".join(pdf_string(s).decode("utf-16-be") for s in strings)
            lines.append((b" 2 Tr" in block, text))
    return lines


def test_pdf_draws_each_heading_as_a_bold_row_before_its_answers(app_a, operator):
    client = verified_client(operator)
    _version, sections = version_sections(app_a)
    headings = [str(row["heading"]) for s in sections for row in s["rows"] if "heading" in row]

    response = client.get(reverse("review:application_pdf", args=[app_a.pk]))
    lines = pdf_lines(response.content)

    assert [text for bold, text in lines if bold] == headings
    texts = [text for _bold, text in lines]
    dataset = texts.index("3. 同意將數據集上架開源平台")
    model = texts.index("4. 同意將模型上架開源平台")
    assert texts[dataset + 1].startswith("3.1 Hugging Face")
    assert texts[model + 1].startswith("4.1 Hugging Face")
    assert [text for text in texts if text.startswith("3.1 ")] == [texts[dataset + 1]]
