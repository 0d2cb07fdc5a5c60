"""The call's fixed texts (terms, notices, declaration...) in the active language."""

from aipower.core.i18n import localized


def call_text(call, key, default=""):
    """The body of the call's Text ``key`` in the active language, else ``default``."""
    text = call.texts.filter(key=key).first()
    if text is None:
        return default
    return localized(text, "body") or default


def call_text_object(call, key):
    return call.texts.filter(key=key).first()
