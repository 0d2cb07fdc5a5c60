"""Validators shared across apps.

``is_valid_ubn`` checks a 統一編號 (Taiwan unified business number) with the rule in force since
2023: weights 1,2,1,2,1,2,4,1; each product is replaced by the sum of its digits; the number is
valid when the total is divisible by 5, or, when the 7th digit is 7, when total + 1 is divisible
by 5. (The pre-2023 rule used 10; do not use libraries that still apply it, e.g. python-stdnum.)
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

UBN_WEIGHTS = (1, 2, 1, 2, 1, 2, 4, 1)
UBN_INVALID_MESSAGE = _("統一編號格式或檢查碼不正確")
# What a person types around the eight digits: spaces, hyphens and dashes (full-width ones
# included, after NFKC), as in 「8470 0087」 or 「8470-0087」.
_UBN_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212\u30fc]+")


def normalize_ubn(value: object) -> str:
    """A typed 統一編號 as the eight ASCII digits it stands for: full-width digits become
    half-width, spaces and hyphens are dropped. Anything else is kept (so a validator still
    refuses it, and the person's typing is shown back as it was meant)."""
    text = unicodedata.normalize("NFKC", str(value or ""))
    return _UBN_SEPARATORS.sub("", text)


def ubn_error(value: str):
    """Why ``value`` (normalized) is not a 統一編號, for the person who typed it; None if it is.
    Tells a wrong length apart from a wrong check digit."""
    if is_valid_ubn(value):
        return None
    if not (value.isascii() and value.isdigit()) or len(value) != 8:
        return _("統一編號應為8位數字（您輸入了「%(value)s」），請再確認。") % {"value": value}
    return _("統一編號 %(value)s 的檢查碼不正確，請核對營業登記或工商憑證上的統一編號。") % {
        "value": value
    }


def is_valid_ubn(value: object) -> bool:
    """Return True when ``value`` is an 8-digit 統一編號 with a valid check digit (2023 rule)."""
    if not isinstance(value, str) or len(value) != 8 or not value.isascii() or not value.isdigit():
        return False
    total = 0
    for char, weight in zip(value, UBN_WEIGHTS, strict=True):
        product = (ord(char) - 48) * weight
        total += product // 10 + product % 10
    if total % 5 == 0:
        return True
    return value[6] == "7" and (total + 1) % 5 == 0


def validate_ubn(value: object) -> None:
    """Django validator: raise ValidationError unless ``value`` is a valid 統一編號."""
    if not is_valid_ubn(value):
        raise ValidationError(UBN_INVALID_MESSAGE, code="invalid_ubn")
