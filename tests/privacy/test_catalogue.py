"""The English catalogue: every msgid translated, with the same placeholders."""

import ast
import re
from pathlib import Path

import pytest

import aipower.privacy

pytestmark = pytest.mark.unit

PO = Path(aipower.privacy.__file__).parent / "locale/en/LC_MESSAGES/django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def entries():
    pairs, key, parts = [], None, []
    for line in [*PO.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith(("msgid ", "msgstr ")):
            if key == "msgstr":
                pairs[-1][1] = "".join(parts)
            elif key == "msgid":
                pairs.append(["".join(parts), None])
            key, _, rest = line.partition(" ")
            parts = [ast.literal_eval(rest)]
        elif line.startswith('"'):
            parts.append(ast.literal_eval(line))
        else:
            if key == "msgstr":
                pairs[-1][1] = "".join(parts)
            key, parts = None, []
    return [(msgid, msgstr) for msgid, msgstr in pairs if msgid]


def test_catalogue_every_msgid_translated():
    untranslated = [msgid for msgid, msgstr in entries() if not msgstr]

    assert len(entries()) > 100
    assert untranslated == []


def test_catalogue_placeholders_kept():
    differ = [
        msgid
        for msgid, msgstr in entries()
        if sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(msgstr))
    ]

    assert differ == []


def test_catalogue_has_the_five_rights():
    translated = dict(entries())

    assert [translated[k] for k in ("查詢或請求閱覽", "製給複製本", "補充或更正", "刪除")] == [
        "Query or request to view",
        "Request a copy",
        "Supplement or correct",
        "Delete",
    ]
    assert translated["停止蒐集、處理、利用"] == "Stop collection, processing or use"
