"""The deliverables forms, the company's hand-in and the operator's demo meeting, refuse a value
typed but not valid naming the field and what a valid value looks like, in zh-Hant and English,
with what was typed kept: the meeting date said 「日期格式不正確，請以 YYYY-MM-DD 填寫」 and the
note, the attendance and a file not received Django's own messages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aipower.deliverables import forms
from aipower.deliverables.enums import Item
from tests.invalid_values import assert_refused

pytestmark = pytest.mark.integration


def attendance(data, files):
    return forms.AttendanceForm(data)


def test_the_meeting_date_says_how_to_write_it():
    assert_refused(
        attendance,
        {"attended": "yes", "meeting_on": "115/03/01"},
        "meeting_on",
        "會議日期請填寫有效的日期，格式：西元年-月-日（例如 2019-03-01）",
        "Meeting date: enter a real date as year-month-day (e.g. 2019-03-01)",
    )


def test_the_note_and_the_attendance_are_named():
    assert_refused(
        attendance,
        {"attended": "yes", "meeting_on": "2026-01-05", "note": "備" * 501},
        "note",
        "備註最多 500 字，目前 501 字，請精簡後再儲存",
        "Note: at most 500 characters, it has 501; shorten it and save again",
    )
    assert_refused(
        attendance,
        {"attended": "maybe", "meeting_on": "2026-01-05"},
        "attended",
        "是否出席請從選項中選擇（「maybe」不是選項之一）",
        'Attendance: choose one of the options ("maybe" is not one of them)',
    )


def test_an_empty_file_is_named():
    def make(data, files):
        return forms.SubmissionForm(data, files, item=Item.REPORT)

    assert_refused(
        make,
        {},
        "file",
        "上傳檔案：檔案是空的（0 位元組），請重新選擇檔案",
        "Upload a file: the file is empty (0 bytes); choose the file again",
        files={"file": SimpleUploadedFile("report.pdf", b"")},
    )


def test_a_link_too_long_is_named():
    assert_refused(
        lambda data, files: forms.SubmissionForm(data, item=Item.VIDEO),
        {"link": "https://example.com/" + "v" * 481},
        "link",
        "連結網址最多 500 字，目前 501 字，請精簡後再儲存",
        "Link: at most 500 characters, it has 501; shorten it and save again",
    )
