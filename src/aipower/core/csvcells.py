"""CSV downloads that a spreadsheet opens safely: UTF-8 with a BOM (Excel reads it as UTF-8),
and a cell starting like a formula is read as text."""

import csv

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A CSV cell that a spreadsheet will not read as a formula (CSV injection)."""
    text = str(value)
    if text[:1] in FORMULA_STARTS:
        return "'" + text
    return text


def csv_download(filename):
    """An attachment response named ``filename`` with the BOM written, and a csv writer on it:
    ``response, writer = csv_download("x.csv")``."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # Excel opens UTF-8 with a BOM correctly
    return response, csv.writer(response)
