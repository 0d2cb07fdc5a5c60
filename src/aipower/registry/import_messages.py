"""The importer's reasons as the operator reads them on the staff pages.

The importer words its refusals and skipped rows in English, naming the file's own column
headers (``設立日期 is not a valid ROC date yyyMMdd: '1071301'``): the command line prints them
and the snapshot's report keeps them. ``for_operator`` gives the same reason in the page's
language with what to do about it, and turns the command line's advice (``--allow-older``) into
the upload form's option. A reason it does not know is shown as it is.
"""

from __future__ import annotations

import datetime
import re

from django.utils import translation
from django.utils.translation import gettext as _

from aipower.core.templatetags.roc import roc_date


def _date(text):
    try:
        return roc_date(datetime.date.fromisoformat(text))
    except ValueError:
        return text


def _quoted(value):
    """A value the importer wrote as Python's repr (``'1071301'``) in the page's quotes."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        opening, closing = ("“", "”") if translation.get_language() == "en" else ("「", "」")
        return f"{opening}{value[1:-1]}{closing}"
    return value


def _messages():
    """(pattern, message) pairs; the message's %(name)s are the pattern's groups."""
    return [
        (
            r"設立日期 is not a valid ROC date yyyMMdd: (?P<value>.*)",
            _(
                "設立日期%(value)s不是有效的民國日期（應為 yyyMMdd，例如 1070101；"
                "民國100年前亦可為6位數，例如 991231；或空白）。"
            ),
        ),
        (
            r"(?P<column>行業代號\d?) is not a 6-digit industry code: (?P<value>.*)",
            _("%(column)s%(value)s不是6位數字的行業代號（或空白）。"),
        ),
        (
            r"expected (?P<expected>\d+) fields, found (?P<found>\d+)",
            _(
                "此行有 %(found)s 個欄位，應為 %(expected)s 個（欄位內的逗號須以雙引號括住，"
                "請確認檔案未經試算表軟體另存）。"
            ),
        ),
        (
            r"統一編號 is not valid \(format or check digit\): (?P<value>.*)",
            _("統一編號%(value)s格式或檢查碼不正確。"),
        ),
        (r"統一編號 appears more than once: (?P<value>.*)", _("統一編號%(value)s重複出現。")),
        (
            r"總機構統一編號 is not valid: (?P<value>.*)",
            _("總機構統一編號%(value)s格式或檢查碼不正確，或與統一編號相同。"),
        ),
        (r"營業人名稱 is empty", _("營業人名稱空白。")),
        (
            r"資本額 is not a whole number: (?P<value>.*)",
            _("資本額%(value)s不是整數（或空白）。"),
        ),
        (
            r"使用統一發票 must be Y or N: (?P<value>.*)",
            _("使用統一發票應為 Y 或 N（或空白），檔案中為%(value)s。"),
        ),
        (
            r"the file is not UTF-8 text \(wrong encoding\)",
            _("檔案不是 UTF-8 編碼（例如經試算表軟體另存為 Big5）；請上傳財政部提供的原始檔案。"),
        ),
        (
            r"malformed CSV: unexpected end of data",
            _(
                "檔案結束時仍在雙引號括住的欄位中：某欄位以雙引號開頭卻沒有結束"
                "（請檢查此行及之前各行）。"
            ),
        ),
        (r"malformed CSV: (?P<detail>.*)", _("CSV 格式錯誤（%(detail)s）。")),
        (
            r"the archive is damaged or truncated: (?P<detail>.*)",
            _("壓縮檔損壞或不完整（%(detail)s），請重新下載後上傳。"),
        ),
        (
            r"the file ends in the middle of a line \(truncated\)",
            _("檔案在一行的中間結束，可能未完整下載，請重新下載後上傳。"),
        ),
        (r"the file holds no valid records", _("檔案中沒有任何有效的資料列。")),
        (r"the file is empty", _("檔案是空的。")),
        (r"the \.zip holds no \.csv file", _("壓縮檔中沒有 .csv 檔。")),
        (
            r"the \.zip holds several \.csv files",
            _("壓縮檔中有多個 .csv 檔，且沒有唯一的 BGMOPEN1.csv。"),
        ),
        (
            r"the header is not the 16 columns of BGMOPEN1\.csv: column (?P<column>\d+) is "
            r"(?P<found>.*), expected (?P<expected>.*)",
            _(
                "第一行應為 BGMOPEN1.csv 的16個欄位名稱；第 %(column)s 欄應為%(expected)s，"
                "檔案中為%(found)s。"
            ),
        ),
        (
            r"the publication-date line is missing",
            _("缺少第二行的資料集發布日期（例如 10-APR-23）。"),
        ),
        (
            r"the second line must be the publication date \(e\.g\. 10-APR-23\): "
            r"a record, not the publication date",
            _(
                "第二行應為資料集發布日期（例如 10-APR-23，其後欄位空白），"
                "檔案中第二行是一筆資料（發布日期那一行可能被刪除）。"
            ),
        ),
        (
            r"the second line must be the publication date \(e\.g\. 10-APR-23\): "
            r"empty publication date",
            _("第二行應為資料集發布日期（例如 10-APR-23，其後欄位空白），檔案中此行空白。"),
        ),
        (
            r"the second line must be the publication date \(e\.g\. 10-APR-23\): "
            r"not a date: (?P<value>.*)",
            _(
                "第二行應為資料集發布日期（例如 10-APR-23，其後欄位空白），"
                "檔案中為%(value)s，不是日期。"
            ),
        ),
        (
            r"the second line must be the publication date \(e\.g\. 10-APR-23\): (?P<detail>.*)",
            _(
                "第二行應為資料集發布日期（例如 10-APR-23，其後欄位空白），"
                "檔案中不是（%(detail)s）。"
            ),
        ),
        (
            r"the file was published on (?P<published>[\d-]+), before the current data "
            r"\((?P<current>[\d-]+)\); use --allow-older to import it anyway",
            _(
                "此檔案的發布日期 %(published)s 早於使用中的資料（%(current)s）。"
                "如確定要以較舊的資料取代，請勾選「允許匯入較舊的資料集」後重新上傳。"
            ),
        ),
    ]


_LINE = re.compile(r"line (?P<line>\d+): (?P<reason>.*)", re.S)


def for_operator(reason: str) -> str:
    """``reason`` (an importer's message, optionally ``line N: …`` as a failed snapshot keeps
    it) in the active language, with what to do; unknown text unchanged."""
    text = (reason or "").strip()
    line = None
    if match := _LINE.fullmatch(text):
        line, text = int(match["line"]), match["reason"]
    for pattern, message in _messages():
        if match := re.fullmatch(pattern, text, re.S):
            values = {key: _quoted(value) for key, value in match.groupdict().items()}
            for key in ("published", "current"):
                if key in values:
                    values[key] = _date(values[key])
            text = message % values
            break
    if line is None:
        return text
    return _("第 %(line)s 行：%(reason)s") % {"line": f"{line:,}", "reason": text}
