"""Language-aware display helpers.

Operator-typed content is stored once per language (``<field>_zh`` and ``<field>_en``);
``localized`` picks the active language's value and falls back to zh-Hant. ``join_list`` and
``company_label`` glue display pieces with the active language's punctuation (``、`` and
``名稱（統一編號）`` in zh-Hant, ``, `` and ``Name (UBN)`` in English).
"""

from django.utils import translation
from django.utils.translation import gettext


def localized(obj, field):
    if translation.get_language() == "en":
        value = getattr(obj, f"{field}_en", "")
        if value:
            return value
    return getattr(obj, f"{field}_zh", "")


def list_separator():
    """``、`` in zh-Hant, ``, `` in English."""
    return ", " if translation.get_language() == "en" else "、"


def join_list(items):
    """The items as one inline list: ``甲、乙`` in zh-Hant, ``A, B`` in English."""
    return list_separator().join(str(item) for item in items)


def company_label(company):
    """A company as its name and 統一編號: ``名稱（12345678）``, in English ``Name (12345678)``."""
    return gettext("%(name)s（%(ubn)s）") % {"name": company.name, "ubn": company.ubn}


CHINESE_DIGITS = "〇一二三四五六七八九"


def chinese_numeral(number):
    """``1`` → ``一``, ``10`` → ``十``, ``12`` → ``十二``, ``21`` → ``二十一`` (1–99; other
    numbers as digits): how the programme document writes 第一梯次."""
    if not 0 < number < 100:
        return str(number)
    tens, ones = divmod(number, 10)
    text = ""
    if tens:
        text = ("" if tens == 1 else CHINESE_DIGITS[tens]) + "十"
    if ones:
        text += CHINESE_DIGITS[ones]
    return text


def batch_number(number):
    """A batch's number as the page's language writes it: ``一`` in zh-Hant, ``1`` in English."""
    return str(number) if translation.get_language() == "en" else chinese_numeral(number)
