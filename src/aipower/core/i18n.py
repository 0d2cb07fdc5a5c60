"""Operator-typed content is stored once per language (``<field>_zh`` and ``<field>_en``).
``localized`` picks the active language's value and falls back to zh-Hant."""

from django.utils import translation


def localized(obj, field):
    if translation.get_language() == "en":
        value = getattr(obj, f"{field}_en", "")
        if value:
            return value
    return getattr(obj, f"{field}_zh", "")
