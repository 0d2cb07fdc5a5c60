"""Checks of what a company hands in: the file's type (by extension *and* content) and size,
or an https link. Shared by the form and the service.

Accepted files (configurable sizes, in bytes):
- 結案報告: PDF, Word (.docx), OpenDocument text (.odt) — ``DELIVERABLES_MAX_DOCUMENT_BYTES``;
- 成果簡報: PDF, PowerPoint (.pptx), OpenDocument presentation (.odp) — same limit;
- 產品demo影片: MP4, MOV, WebM — ``DELIVERABLES_MAX_VIDEO_BYTES``; a link is the usual way.
Old binary Office formats (.doc/.ppt) are refused: they cannot be told from other OLE files and
are the usual carrier of macros.
"""

import zipfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from aipower.core.i18n import join_list

from .enums import Item

DEFAULT_MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
DEFAULT_MAX_VIDEO_BYTES = 500 * 1024 * 1024
MAX_LINK_LENGTH = 500

# The main part a zip-based office file must contain, and the ODF mimetype it must declare.
_OOXML_PARTS = {".docx": "word/document.xml", ".pptx": "ppt/presentation.xml"}
_ODF_TYPES = {
    ".odt": "application/vnd.oasis.opendocument.text",
    ".odp": "application/vnd.oasis.opendocument.presentation",
}

EXTENSIONS = {
    Item.REPORT: (".pdf", ".docx", ".odt"),
    Item.SLIDES: (".pdf", ".pptx", ".odp"),
    Item.VIDEO: (".mp4", ".mov", ".webm"),
}

CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": _ODF_TYPES[".odt"],
    ".odp": _ODF_TYPES[".odp"],
    ".mp4": "video/mp4",
    ".mov": "video/quicktime",
    ".webm": "video/webm",
}

MESSAGES = {
    "choose_one": _("請上傳檔案或填寫連結網址（擇一）"),
    "both": _("請擇一：上傳檔案或填寫連結網址，不可同時提供"),
    "extension": _("檔案格式不符，請上傳 %(allowed)s 檔案"),
    "content": _("檔案內容與副檔名 %(extension)s 不符，請確認檔案未損毀後重新上傳"),
    "size": _("檔案大小超過上限 %(limit)s MB"),
    "empty": _("檔案是空的，請重新選擇檔案"),
    "link": _("請輸入以 https:// 開頭的有效網址"),
    "quota": _("本案已上傳之檔案合計將超過上限 %(limit)s MB，請改以連結網址提供"),
    "rate": _("本案一小時內已上傳 %(limit)s 個檔案，請稍後再試"),
}


# All the files one award may keep (its history included): bounds what one company can put on
# the private volume by replacing its files over and over.
DEFAULT_MAX_AWARD_BYTES = 2 << 30


def max_award_bytes():
    return int(getattr(settings, "DELIVERABLES_MAX_AWARD_BYTES", DEFAULT_MAX_AWARD_BYTES))


# Files one award may upload in an hour: a runaway script cannot churn the private volume.
DEFAULT_UPLOADS_PER_HOUR = 20


def uploads_per_hour():
    return int(getattr(settings, "DELIVERABLES_UPLOADS_PER_HOUR", DEFAULT_UPLOADS_PER_HOUR))


def max_bytes(item):
    if item == Item.VIDEO:
        return int(getattr(settings, "DELIVERABLES_MAX_VIDEO_BYTES", DEFAULT_MAX_VIDEO_BYTES))
    return int(getattr(settings, "DELIVERABLES_MAX_DOCUMENT_BYTES", DEFAULT_MAX_DOCUMENT_BYTES))


def allowed_label(item):
    """``PDF、DOCX、ODT``: the accepted formats as the form's help text shows them (``PDF, DOCX,
    ODT`` on an English page)."""
    return join_list(extension[1:].upper() for extension in EXTENSIONS[item])


def content_type(extension):
    return CONTENT_TYPES.get(extension, "application/octet-stream")


def _head(upload, size=16):
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


# An ODF file's "mimetype" entry is one short line; an office file has a few hundred parts.
# Anything bigger is not a document we accept, and is never unpacked (a zip bomb).
MIMETYPE_MAX_BYTES = 128
ZIP_MAX_ENTRIES = 10_000


def _zip_matches(upload, extension):
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            if len(entries) > ZIP_MAX_ENTRIES:
                return False
            names = {entry.filename for entry in entries}
            if extension in _OOXML_PARTS:
                return _OOXML_PARTS[extension] in names
            mimetype = next((e for e in entries if e.filename == "mimetype"), None)
            if mimetype is None or mimetype.file_size > MIMETYPE_MAX_BYTES:
                return False
            with archive.open(mimetype) as handle:
                text = handle.read(MIMETYPE_MAX_BYTES + 1)
            return text.decode("ascii", "replace").strip() == _ODF_TYPES[extension]
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, RuntimeError, EOFError):
        return False
    finally:
        upload.seek(0)


def content_matches(upload, extension):
    """Whether the bytes are what the extension says (magic numbers, the zip's main part)."""
    head = _head(upload)
    if extension == ".pdf":
        return head.startswith(b"%PDF-")
    if extension in _OOXML_PARTS or extension in _ODF_TYPES:
        return head.startswith(b"PK\x03\x04") and _zip_matches(upload, extension)
    if extension in (".mp4", ".mov"):
        return head[4:8] == b"ftyp" or head[4:8] in (b"moov", b"mdat", b"wide", b"free")
    if extension == ".webm":
        return head.startswith(b"\x1a\x45\xdf\xa3")
    return False


def validate_upload(upload, item):
    """Raise ``ValidationError`` (zh-Hant) unless ``upload`` is an accepted file for ``item``."""
    extension = Path(upload.name or "").suffix.lower()
    if extension not in EXTENSIONS[item]:
        raise ValidationError(
            MESSAGES["extension"], code="extension", params={"allowed": allowed_label(item)}
        )
    if not upload.size:
        raise ValidationError(MESSAGES["empty"], code="empty")
    limit = max_bytes(item)
    if upload.size > limit:
        raise ValidationError(
            MESSAGES["size"], code="size", params={"limit": f"{limit / (1024 * 1024):g}"}
        )
    if not content_matches(upload, extension):
        raise ValidationError(
            MESSAGES["content"], code="content", params={"extension": extension[1:].upper()}
        )


def normalise_link(value):
    """An https URL (stripped), or ``ValidationError``."""
    text = str(value or "").strip()
    if len(text) > MAX_LINK_LENGTH:
        raise ValidationError(MESSAGES["link"], code="link")
    try:
        URLValidator(schemes=["https"])(text)
    except ValidationError as exc:
        raise ValidationError(MESSAGES["link"], code="link") from exc
    return text
