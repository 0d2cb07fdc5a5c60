"""CSV downloads that a spreadsheet opens safely: UTF-8 with a BOM (Excel reads it as UTF-8),
and a cell starting like a formula is read as text."""

import csv

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import translation

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"  # Excel opens UTF-8 with a BOM correctly
CONTENT_TYPE = "text/csv; charset=utf-8"


def safe_cell(value):
    """A CSV cell that a spreadsheet will not read as a formula (CSV injection)."""
    text = str(value)
    if text[:1] in FORMULA_STARTS:
        return "'" + text
    return text


def _attachment(response, filename):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_download(filename):
    """An attachment response named ``filename`` with the BOM written, and a csv writer on it:
    ``response, writer = csv_download("x.csv")``."""
    response = _attachment(HttpResponse(content_type=CONTENT_TYPE), filename)
    response.write(BOM)
    return response, csv.writer(response)


class _Line:
    """A file-like object whose ``write`` returns what it is given: one CSV line at a time."""

    def write(self, value):
        return value


def csv_stream(filename, rows):
    """An attachment response named ``filename`` that writes ``rows`` (an iterable of lists, the
    header first) as it goes, BOM first: for exports that grow with use (a company's requests
    or ledger over months), never held whole in memory. The rows are made in the language of
    the request (they are produced after the view has returned)."""
    writer = csv.writer(_Line())
    language = translation.get_language()

    def lines():
        yield BOM
        with translation.override(language):
            for row in rows:
                yield writer.writerow(row)

    return _attachment(StreamingHttpResponse(lines(), content_type=CONTENT_TYPE), filename)
