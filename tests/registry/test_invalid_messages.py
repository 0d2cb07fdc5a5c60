"""The staff's upload of the tax data set refuses a file not received or empty naming the field,
in zh-Hant and English: it said Django's own 「沒有提交任何檔案。檢查表單上的編碼類型。」."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aipower.registry import forms
from tests.invalid_values import assert_refused

pytestmark = pytest.mark.integration


def upload(data, files):
    return forms.UploadForm(data, files)


def test_an_empty_file_is_named():
    assert_refused(
        upload,
        {},
        "file",
        "稅籍登記資料檔是空的（0 位元組），請重新選擇。",
        "Tax-registration data file: the file is empty (0 bytes); please choose another.",
        files={"file": SimpleUploadedFile("BGMOPEN1.csv", b"")},
    )


def test_a_file_field_sent_as_text_is_named():
    assert_refused(
        upload,
        {"file": "BGMOPEN1.csv"},
        "file",
        "稅籍登記資料檔：沒有收到檔案，請重新選擇檔案後再上傳",
        "Tax-registration data file: no file was received; choose the file again and upload it",
        files={"file": "BGMOPEN1.csv"},
    )
