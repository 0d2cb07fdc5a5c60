"""What a company may hand in: file types by extension and content, sizes, https links."""

import io
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from aipower.deliverables import services, validators
from aipower.deliverables.enums import Item

from .conftest import PDF, office_zip, upload

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("item", "name"),
    [
        (Item.REPORT, "結案報告.pdf"),
        (Item.REPORT, "final.DOCX"),
        (Item.SLIDES, "slides.pptx"),
        (Item.SLIDES, "slides.pdf"),
        (Item.VIDEO, "demo.mp4"),
    ],
)
def test_validate_upload_accepts_matching_file(item, name):
    validators.validate_upload(upload(name), item)


def test_validate_upload_refuses_other_extension():
    with pytest.raises(ValidationError) as caught:
        validators.validate_upload(upload("report.exe", b"MZ\x90\x00"), Item.REPORT)

    assert caught.value.code == "extension"
    assert caught.value.params == {"allowed": "PDF、DOCX、ODT"}


def test_validate_upload_refuses_content_not_matching_extension():
    with pytest.raises(ValidationError) as caught:
        validators.validate_upload(upload("report.pdf", b"<html>hello</html>"), Item.REPORT)

    assert caught.value.code == "content"


def test_validate_upload_refuses_zip_without_the_office_part():
    renamed = upload("slides.pptx", office_zip("word/document.xml"))

    with pytest.raises(ValidationError) as caught:
        validators.validate_upload(renamed, Item.SLIDES)

    assert caught.value.code == "content"


def odt(mimetype: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", mimetype)
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def test_validate_upload_accepts_an_odt_by_its_mimetype_entry():
    validators.validate_upload(
        upload("report.odt", odt(b"application/vnd.oasis.opendocument.text")), Item.REPORT
    )


def test_validate_upload_refuses_an_odt_whose_mimetype_entry_unpacks_huge():
    # 64 MB of zeros deflate to ~64 KB: never unpacked, refused from the entry's size.
    bomb = odt(b"application/vnd.oasis.opendocument.text" + b"\0" * (64 << 20))
    assert len(bomb) < 1 << 20

    tracemalloc.start()
    try:
        with pytest.raises(ValidationError) as caught:
            validators.validate_upload(upload("report.odt", bomb), Item.REPORT)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert caught.value.code == "content"
    assert peak < 8 << 20  # unpacking the entry would take 64 MB


def test_validate_upload_refuses_empty_file():
    with pytest.raises(ValidationError) as caught:
        validators.validate_upload(upload("report.pdf", b""), Item.REPORT)

    assert caught.value.code == "empty"


def test_validate_upload_refuses_file_over_the_configured_size(settings):
    settings.DELIVERABLES_MAX_DOCUMENT_BYTES = 1024 * 1024
    big = upload("report.pdf", PDF + b"0" * (1024 * 1024))

    with pytest.raises(ValidationError) as caught:
        validators.validate_upload(big, Item.REPORT)

    assert caught.value.code == "size"
    assert caught.value.params == {"limit": "1"}


def test_validate_upload_refuses_video_as_report():
    with pytest.raises(ValidationError) as caught:
        validators.validate_upload(upload("demo.mp4"), Item.REPORT)

    assert caught.value.code == "extension"


@pytest.mark.parametrize(
    "value", ["http://example.com/demo", "javascript:alert(1)", "ftp://x.org/a", "無", ""]
)
def test_normalise_link_refuses_anything_but_https(value):
    with pytest.raises(ValidationError) as caught:
        validators.normalise_link(value)

    assert caught.value.code == "link"


def test_normalise_link_strips_spaces():
    assert validators.normalise_link("  https://youtu.be/abc  ") == "https://youtu.be/abc"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\結案報告.pdf", "結案報告.pdf"),
        ("a\x00b\nc.pdf", "abc.pdf"),
        ("", "file"),
    ],
)
def test_clean_filename_keeps_only_a_plain_name(name, expected):
    assert services.clean_filename(name) == expected


def test_allowed_label_lists_the_formats_in_the_active_language():
    with translation.override("zh-hant"):
        chinese = validators.allowed_label(Item.REPORT)
    with translation.override("en"):
        english = validators.allowed_label(Item.REPORT)

    assert (chinese, english) == ("PDF、DOCX、ODT", "PDF, DOCX, ODT")
