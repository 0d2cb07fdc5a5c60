"""The programme call every page shows in its footer (organiser, contact, service hours).

Register ``aipower.public.context_processors.programme`` in ``TEMPLATES``. The call is looked up
lazily, so a page that never shows it costs no query, and ``None`` (no call configured yet) makes
the footer fall back to its plain form.
"""

from django.utils.functional import SimpleLazyObject

from aipower.calls.models import Call


def programme(request):
    return {"programme_call": SimpleLazyObject(Call.current)}
