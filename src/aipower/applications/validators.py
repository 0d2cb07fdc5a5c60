"""Validators of the application forms, shared by the forms, the submission check and tests.

Each ``normalise_*`` function takes what the user typed and returns the stored form, or raises
``ValidationError`` with a zh-Hant message (English through the catalogue). ``validate_*``
functions only check. ``check_dataset`` applies the training data-set consistency rules and
returns errors (which block) and warnings (which do not).

The "無 convention": a required field whose answer is "nothing" holds exactly 無.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

NONE_MARKER = "無"

# Taiwan landline area codes; longer codes are tried first when the user typed no separator.
AREA_CODES = ("02", "03", "037", "04", "049", "05", "06", "07", "08", "082", "0826", "0836", "089")
_AREA_CODES_LONGEST_FIRST = tuple(sorted(AREA_CODES, key=len, reverse=True))
_SEPARATORS = re.compile(r"[\s\-()]+")
_RESOLUTION = re.compile(r"(\d+)[xX×](\d+)", re.ASCII)

MESSAGES = {
    "url": _("請輸入以 http:// 或 https:// 開頭的有效網址，若沒有，則填寫「無」"),
    "huggingface": _("請輸入 Hugging Face（huggingface.co）的網址，若不同意，則填寫「無」"),
    "github": _("請輸入 GitHub（github.com）的網址，若不同意，則填寫「無」"),
    "landline": _("市話號碼格式不正確，格式：區碼-號碼#分機（例：02 12345678#123）"),
    "landline_area": _("區碼不正確，請輸入臺灣的市話區碼（例：02、037、049、0826）"),
    "mobile": _("手機號碼格式不正確，格式：09xxxxxxxx（共 10 碼）"),
    "resolution": _("請以「長x寬」填寫，例如 3840x2160；若無準備，可填寫為0"),
    "exclusive": _("「%(option)s」不可與其他選項同時勾選"),
    "other_required": _("已勾選「其他」，請填寫說明"),
    "resolution_required": _("已填寫數量，請填寫平均像素大小（長x寬）"),
    "resolution_must_be_zero": _("數量為0時，平均像素大小請填寫為0"),
    "dataset_empty": _("各類訓練資料皆為0，請於「資料集主要內容描述」說明尚未準備資料的原因或規劃"),
}


def clean_text(value: object) -> str:
    """NFKC-normalise (full-width digits and symbols become ASCII) and strip."""
    return unicodedata.normalize("NFKC", str(value or "")).strip()


def is_none_marker(value: object) -> bool:
    """Whether the answer is exactly 無 (ignoring surrounding spaces)."""
    return isinstance(value, str) and value.strip() == NONE_MARKER


def _is_http_url(value: str) -> bool:
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        return False
    return True


def normalise_url_or_none(value: object) -> str:
    """A valid http(s) URL, or exactly 無."""
    text = str(value or "").strip()
    if text == NONE_MARKER:
        return NONE_MARKER
    if not _is_http_url(text):
        raise ValidationError(MESSAGES["url"], code="url")
    return text


def _host_is(url: str, domain: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host == domain or host.endswith("." + domain)


def _normalise_site_url(value: object, domain: str, code: str) -> str:
    text = str(value or "").strip()
    if text == NONE_MARKER:
        return NONE_MARKER
    if not _is_http_url(text) or not _host_is(text, domain):
        raise ValidationError(MESSAGES[code], code=code)
    return text


def normalise_huggingface_url(value: object) -> str:
    """A URL on huggingface.co, or 無."""
    return _normalise_site_url(value, "huggingface.co", "huggingface")


def normalise_github_url(value: object) -> str:
    """A URL on github.com, or 無."""
    return _normalise_site_url(value, "github.com", "github")


def normalise_landline(value: object) -> str:
    """Area code, 6–8 digit local number, optional #extension → ``02-12345678#123``.

    Spaces, dashes and parentheses are accepted as separators. When the user separated the
    area code, that split is used; otherwise the longest matching area code that leaves a
    6–8 digit local number is taken.
    """
    text = clean_text(value)
    extension = ""
    if "#" in text:
        text, extension = text.split("#", 1)
        extension = _SEPARATORS.sub("", extension)
        if not extension.isdigit() or len(extension) > 6:
            raise ValidationError(MESSAGES["landline"], code="landline")
    groups = [group for group in _SEPARATORS.split(text) if group]
    if not groups or not all(group.isascii() and group.isdigit() for group in groups):
        raise ValidationError(MESSAGES["landline"], code="landline")
    if len(groups) > 1 and groups[0] in AREA_CODES:
        area, local = groups[0], "".join(groups[1:])
    else:
        digits = "".join(groups)
        area = next(
            (
                code
                for code in _AREA_CODES_LONGEST_FIRST
                if digits.startswith(code) and 6 <= len(digits) - len(code) <= 8
            ),
            None,
        )
        if area is None:
            code = "landline" if not digits.startswith("0") or len(digits) < 8 else "landline_area"
            raise ValidationError(MESSAGES[code], code=code)
        local = digits[len(area) :]
    if not 6 <= len(local) <= 8:
        raise ValidationError(MESSAGES["landline"], code="landline")
    return f"{area}-{local}" + (f"#{extension}" if extension else "")


def normalise_mobile(value: object) -> str:
    """``0912-345-678`` / ``0912 345 678`` → ``0912345678`` (10 digits starting 09)."""
    digits = re.sub(r"[\s\-]+", "", clean_text(value))
    if not re.fullmatch(r"09\d{8}", digits, re.ASCII):
        raise ValidationError(MESSAGES["mobile"], code="mobile")
    return digits


def normalise_resolution(value: object) -> str:
    """``3840 × 2160`` → ``3840x2160``; ``0`` stays ``0``."""
    text = re.sub(r"\s+", "", clean_text(value))
    if text == "0":
        return "0"
    match = _RESOLUTION.fullmatch(text)
    if not match:
        raise ValidationError(MESSAGES["resolution"], code="resolution")
    width, height = int(match.group(1)), int(match.group(2))
    if width == 0 or height == 0:
        raise ValidationError(MESSAGES["resolution"], code="resolution")
    return f"{width}x{height}"


def validate_exclusive(values, exclusive, label) -> None:
    """An exclusive option (e.g. 無使用需求) cannot be ticked together with another."""
    values = list(values or [])
    if exclusive in values and len(values) > 1:
        raise ValidationError(MESSAGES["exclusive"], code="exclusive", params={"option": label})


def validate_other_text(values, other, text) -> None:
    """When 其他 is ticked (or chosen), its text is required."""
    selected = values if isinstance(values, list | tuple | set) else [values]
    if other in selected and not str(text or "").strip():
        raise ValidationError(MESSAGES["other_required"], code="other_required")


DATASET_PAIRS = (("video_hours", "video_resolution"), ("image_count", "image_resolution"))
DATASET_AMOUNTS = ("text_tokens", "speech_hours", "video_hours", "image_count")


def check_dataset(data: dict) -> tuple[dict[str, ValidationError], list]:
    """The training data set's consistency.

    ``data`` holds integers for the amounts and normalised resolutions (``"0"`` or
    ``"WxH"``). Returns ``(errors, warnings)``: errors by field name (they block), warnings
    as messages (they do not). Missing values are not checked here (the required check is).
    """
    errors: dict[str, ValidationError] = {}
    for amount_field, resolution_field in DATASET_PAIRS:
        amount, resolution = data.get(amount_field), data.get(resolution_field)
        if amount is None or resolution in (None, ""):
            continue
        if amount > 0 and resolution == "0":
            errors[resolution_field] = ValidationError(
                MESSAGES["resolution_required"], code="resolution_required"
            )
        elif amount == 0 and resolution != "0":
            errors[resolution_field] = ValidationError(
                MESSAGES["resolution_must_be_zero"], code="resolution_must_be_zero"
            )
    warnings = []
    amounts = [data.get(name) for name in DATASET_AMOUNTS]
    if all(amount == 0 for amount in amounts):
        description = str(data.get("description") or "").strip()
        if not description or description == NONE_MARKER:
            warnings.append(MESSAGES["dataset_empty"])
    return errors, warnings
