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
