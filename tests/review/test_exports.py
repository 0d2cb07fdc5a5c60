"""The meeting's CSV and XLSX: each reviewer keeps one column on every row (委員2 is the same
person throughout, blank where they stepped aside), and the figures are numbers — a negative
normalised score is written -1.000, not escaped as a formula ('-1.000), and is a number in the
spreadsheet; totals have two decimals as on the page."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from .conftest import verified_client
from .helpers import assign_and_declare, make_eligible, score_uniformly

pytestmark = pytest.mark.integration


@pytest.fixture
def scored(app_a, app_b, operator, reviewers):
    """甲: rev1 80, rev2 steps aside, rev3 70; 乙: rev1 60, rev2 65, rev3 75."""
    for app in (app_a, app_b):
        make_eligible(app, operator)
    a = assign_and_declare(app_a, reviewers, operator, conflicts=reviewers[1:2])
    b = assign_and_declare(app_b, reviewers, operator)
    for assignment, value in ((a[0], 80), (a[2], 70), (b[0], 60), (b[1], 65), (b[2], 75)):
        score_uniformly(assignment, assignment.reviewer, value)
    return app_a, app_b


def columns(header, row, prefix):
    return [value for name, value in zip(header, row, strict=True) if name.startswith(prefix)]


def test_csv_keeps_each_reviewer_in_one_column_and_writes_numbers(scored, operator):
    app_a, app_b = scored
    response = verified_client(operator).get(reverse("review:meeting_csv", args=[app_a.batch_id]))

    header, *rows = list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
    by_number = {row[1]: row for row in rows}

    assert header[5:8] == ["委員1加權總分", "委員2加權總分", "委員3加權總分"]
    assert columns(header, by_number[app_a.number], "委員") == [
        "80.00", "", "70.00", "1.000", "", "-1.000",
    ]  # fmt: skip
    assert columns(header, by_number[app_b.number], "委員") == [
        "60.00", "65.00", "75.00", "-1.000", "0.000", "1.000",
    ]  # fmt: skip


def test_xlsx_figures_are_numbers(scored, operator):
    app_a, _app_b = scored
    response = verified_client(operator).get(reverse("review:meeting_xlsx", args=[app_a.batch_id]))

    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    row = next(cells for cells in sheet.iter_rows(min_row=2) if cells[1].value == app_a.number)
    cell = dict(zip(header, row, strict=True))

    assert (cell["委員3標準化分數"].value, cell["委員3標準化分數"].data_type) == (-1, "n")
    assert (cell["委員1加權總分"].value, cell["委員1加權總分"].data_type) == (80, "n")
    assert cell["委員2加權總分"].value is None
    assert Decimal(str(cell["平均"].value)) == Decimal("75")


def test_xlsx_sheet_is_named_as_the_page_names_the_batch(scored, operator):
    """The workbook's sheet says which batch it holds as the meeting page does (it was
    "batch2"), in the page's language."""
    from .test_pages import english

    app_a, _app_b = scored
    url = reverse("review:meeting_xlsx", args=[app_a.batch_id])

    zh = load_workbook(io.BytesIO(verified_client(operator).get(url).content)).active
    en = load_workbook(io.BytesIO(english(verified_client(operator)).get(url).content)).active

    number = app_a.batch.number
    assert zh.title == f"{app_a.call.year} 模型訓練類 第{'一二三四五六'[number - 1]}梯次"
    assert en.title == f"{app_a.call.year + 1911} Model training, batch {number}"
    assert [cell.value for cell in en[1]][:2] == ["Rank", "Application number"]
