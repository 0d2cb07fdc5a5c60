"""One-time form tokens: a form whose effect must happen once (a request filed, a mail sent
again) carries a random token, new at every rendering (``{% once_field %}``, template library
``once``). The effect is recorded with it (``FormUse``, unique on the token) in the effect's
own transaction, so the same form sent again — a second click, the back button, another tab,
the CSRF page's 再次送出 — finds what the first sending did instead of doing it again, and a form
rendered anew is a new request, however soon and however alike. CSRF is checked as before.

Use, inside the transaction that does the effect::

    use = once.claim(token, "privacy.request")
    if use is None:                       # sent before: what it did (None: gone)
        return once.made(token, "privacy.request", Model.objects.filter(...))
    obj = ...                             # the effect
    once.done(use, obj)

A used token is kept ``FORM_USE_RETENTION_DAYS`` (default 45), longer than a form page can wait
and still be handled — a page sent after its sign-in ended is kept while the browser's remember
cookie, 30 days, names who typed it, and handled after a sign-in within a day
(``accounts.resume``) — then deleted by the daily ``manage.py prune_form_uses`` (``prune``).
"""

import datetime
import re
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import FormUse

FIELD = "once"
# The token was used, but what its form made is gone (or it was another form's): nothing to show.
SENT_BEFORE = _("此表單已送出過，請重新整理頁面後再試一次")
_SHAPE = re.compile(r"[A-Za-z0-9_-]{16,64}")


def new_token():
    return secrets.token_urlsafe(24)


def posted(request):
    """The token the form sent, or None (a form rendered before tokens existed, or not this
    site's: ``secrets.token_urlsafe``'s alphabet only)."""
    token = request.POST.get(FIELD, "").strip()
    return token if _SHAPE.fullmatch(token) else None


def claim(token, action):
    """Record ``token``'s first use, in the caller's transaction: the ``FormUse`` to pass to
    ``done``, or None when it was used before. Two sendings at once: the second waits on the
    unique index until the first commits, then finds it used."""
    try:
        with transaction.atomic():
            return FormUse.objects.create(token=token, action=action)
    except IntegrityError:
        return None


def done(use, obj):
    """Point the token's use at what the form made."""
    use.object_id = obj.pk
    use.save(update_fields=["object_id"])


def first_sending(token, action, obj):
    """In the caller's transaction: whether the form with ``token`` is sent for the first time
    (its use recorded now, for ``obj``), for a form whose effect the caller does after. No
    token (a page rendered before tokens existed): True, the effect's own checks decide."""
    if token is None:
        return True
    use = claim(token, action)
    if use is None:
        return False
    done(use, obj)
    return True


def made(token, action, queryset):
    """What ``token``'s first use for ``action`` made, found in ``queryset`` (the objects the
    form may have made), or None: gone, or not among them."""
    made_id = (
        FormUse.objects.filter(token=token, action=action)
        .values_list("object_id", flat=True)
        .first()
    )
    return queryset.filter(pk=made_id).first()


def prune(now=None):
    """Delete the tokens used more than ``FORM_USE_RETENTION_DAYS`` ago; how many went."""
    now = now or timezone.now()
    before = now - datetime.timedelta(days=settings.FORM_USE_RETENTION_DAYS)
    deleted, _rows = FormUse.objects.filter(used_at__lt=before).delete()
    return deleted
