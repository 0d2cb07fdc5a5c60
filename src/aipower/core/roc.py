"""ROC (民國) calendar helpers: year 115 = 2026. Dates are stored as ordinary dates and only
shown in the ROC form where the programme document does."""

import datetime

from django.utils import translation

ROC_OFFSET = 1911


def roc_year(year):
    return year - ROC_OFFSET


def format_roc_date(value):
    """``2026-10-30`` → ``115年10月30日``."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    return f"{roc_year(value.year)}年{value.month:02d}月{value.day:02d}日"


def format_date_in(value, language):
    """A date as a notice in ``language`` writes it: ISO in English, ROC otherwise."""
    return value.isoformat() if language == "en" else format_roc_date(value)


def format_period(start, end, language=None):
    """A period of use, ``start–end``, each date as ``format_date_in`` writes it (in the active
    language unless ``language`` is given)."""
    if language is None:
        language = translation.get_language()
    return f"{format_date_in(start, language)}–{format_date_in(end, language)}"


def parse_roc_compact(text):
    """Parse the tax data's 7-digit ``yyyMMdd`` (``1070101`` → 2018-01-01); ``None`` if empty.

    Raises ``ValueError`` for anything that is not a real date.
    """
    text = (text or "").strip()
    if not text:
        return None
    if not text.isdigit() or len(text) not in (6, 7):
        raise ValueError(f"not a ROC date: {text!r}")
    year, month, day = int(text[:-4]), int(text[-4:-2]), int(text[-2:])
    return datetime.date(year + ROC_OFFSET, month, day)
