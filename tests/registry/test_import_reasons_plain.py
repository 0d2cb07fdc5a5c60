"""The import's refusals read in the page's language with what went wrong, also where the
reason comes from Python's csv module or the publication-date line: an operator whose file has
an unclosed quote read 「CSV 格式錯誤（unexpected end of data）」, one whose file lacks the date
line 「…檔案中不是（a record, not the publication date）」."""

import pytest
from django.utils import translation

from aipower.registry.import_messages import for_operator
from aipower.registry.importer import RegistryImportError, import_registry

from .conftest import DATE_LINE, demo_rows, write_csv

pytestmark = pytest.mark.integration


def refusal(path):
    with pytest.raises(RegistryImportError) as refused:
        import_registry(path)
    return refused.value


def shown(reason, language):
    with translation.override(language):
        return for_operator(reason)


@pytest.fixture
def unclosed_quote(tmp_path):
    rows = demo_rows()
    path = write_csv(tmp_path / "BGMOPEN1.csv", rows)
    text = path.read_text(encoding="utf-8-sig").splitlines()
    text[4] = '"' + text[4]  # a field opens a quote that never closes
    path.write_text("\r\n".join(text) + "\r\n", encoding="utf-8-sig")
    return path


def test_an_unclosed_quote_is_said_in_the_pages_language(db, unclosed_quote):
    reason = refusal(unclosed_quote).reason

    chinese, english = shown(reason, "zh-hant"), shown(reason, "en")

    assert "unexpected end of data" not in chinese
    assert "雙引號" in chinese and "沒有結束" in chinese
    assert english.startswith("The file ends inside a quoted field")


@pytest.mark.parametrize(
    ("date_line", "zh", "en"),
    [
        (False, "檔案中第二行是一筆資料", "the file's second line is a record"),
        (["", *[""] * 15], "檔案中此行空白", "the line is empty in the file"),
        (["1139999", *[""] * 15], "檔案中為「1139999」", "the file has “1139999”"),
    ],
)
def test_a_wrong_date_line_says_what_the_file_has_there(db, tmp_path, date_line, zh, en):
    assert DATE_LINE  # the line the data set has there
    path = write_csv(tmp_path / "BGMOPEN1.csv", demo_rows(), date_line=date_line)
    reason = refusal(path).reason

    chinese, english = shown(reason, "zh-hant"), shown(reason, "en")

    assert chinese.startswith("第二行應為資料集發布日期")
    assert zh in chinese
    assert en in english
    assert "publication date)" not in chinese and "not a ROC date" not in chinese
