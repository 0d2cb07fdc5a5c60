"""Validators shared across apps.

``is_valid_ubn`` checks a 統一編號 (Taiwan unified business number) with the rule in force since
2023: weights 1,2,1,2,1,2,4,1; each product is replaced by the sum of its digits; the number is
valid when the total is divisible by 5, or, when the 7th digit is 7, when total + 1 is divisible
by 5. (The pre-2023 rule used 10; do not use libraries that still apply it, e.g. python-stdnum.)
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

UBN_WEIGHTS = (1, 2, 1, 2, 1, 2, 4, 1)
UBN_INVALID_MESSAGE = _("統一編號格式或檢查碼不正確")


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
