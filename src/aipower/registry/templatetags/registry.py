"""Template filters of the registry pages, and ``lang_zh`` for every page that shows what a
company typed or the registry holds (in Chinese) inside a page of another language."""

import re

from django import template
from django.utils import translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()

# Han characters (CJK unified ideographs, their extension A and compatibility forms).
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@register.filter
def lang_zh(value):
    """Text typed in Chinese (a company name, a project title, an answer; the registry's names)
    marked ``lang="zh-Hant"`` on a page in another language, so a screen reader reads it with
    Chinese rules, not English ones. Text without Chinese characters, and every text on a
    zh-Hant page, is left as it is (escaped as usual; safe markup such as ``linebreaksbr``'s
    stays)."""
    if value is None or value == "":
        return value
    text = value if isinstance(value, str) else str(value)
    if (translation.get_language() or "").startswith("zh") or not _HAN.search(text):
        return value
    return format_html('<span lang="zh-Hant">{}</span>', text)


@register.filter
def company_label_zh(company):
    """``core.i18n.company_label`` (名稱（統一編號）, in English ``Name (12345678)``) with the
    name marked as ``lang_zh`` marks it."""
    name = conditional_escape(lang_zh(company.name))
    ubn = conditional_escape(company.ubn)
    # The format is ours; the name and the number are escaped.
    return mark_safe(gettext("%(name)s（%(ubn)s）") % {"name": name, "ubn": ubn})  # noqa: S308


@register.filter
def thousands(value):
    """``25000000`` → ``25,000,000`` (amounts as the tax data gives them, in NT$)."""
    if value is None or value == "":
        return ""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return value


@register.filter
def import_reason(value):
    """An importer's reason (a skipped row's, a failed import's) as the operator reads it, in
    the page's language (``import_messages.for_operator``)."""
    from aipower.registry.import_messages import for_operator

    return for_operator(value)
