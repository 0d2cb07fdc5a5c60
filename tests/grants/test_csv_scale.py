"""The company's downloads at a real award's volume (tens of thousands of requests or ledger
entries): each row's labels are read once per download, not translated again for each row
(which was half of the download's time: 4 s for 40,000 rows)."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation

from aipower.calls.enums import CategoryKind
from aipower.grants import services
from tests.query_counts import measure

from .conftest import make_award
from .test_query_counts import add_usage

pytestmark = pytest.mark.integration


def translations_of(client, url, monkeypatch):
    """How many messages the download translated, and its rows."""
    calls = []
    translation.gettext("點數")  # Django binds its translation function on first use
    lookup = translation._trans.gettext

    def counted(message):
        calls.append(message)
        return lookup(message)

    monkeypatch.setattr(translation._trans, "gettext", counted)
    _queries, _response, body = measure(client, url)
    monkeypatch.setattr(translation._trans, "gettext", lookup)
    return len(calls), list(csv.reader(io.StringIO(body)))


@pytest.mark.parametrize("name", ["grants:csv", "grants:requests-csv"])
def test_downloads_translate_their_labels_once_not_per_row(
    call_115, company_client, monkeypatch, name
):
    allowance = services.open_allowance(make_award(call_115, "12345675", CategoryKind.INFERENCE))
    client = company_client(allowance.company)
    url = reverse(name, args=[allowance.pk])
    add_usage(allowance, 10)

    small, rows = translations_of(client, url, monkeypatch)

    add_usage(allowance, 40)
    large, rows = translations_of(client, url, monkeypatch)

    assert len(rows) == 1 + 50 + (1 if name == "grants:csv" else 0)
    assert {"使用", "完成"} & {row[1] if name == "grants:csv" else row[7] for row in rows[1:]}
    assert large == small
