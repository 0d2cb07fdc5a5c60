"""The call's fixed texts (terms, notices, declaration...) in the active language."""

from aipower.core.i18n import localized


def call_text(call, key, default=""):
    """The body of the call's Text ``key`` in the active language, else ``default``."""
    text = call.texts.filter(key=key).first()
    if text is None:
        return default
    return localized(text, "body") or default


def call_texts(call, keys):
    """``{key: the call's Text or None}`` for each of ``keys``, in one query."""
    found = {text.key: text for text in call.texts.filter(key__in=list(keys))}
    return {key: found.get(key) for key in keys}
