"""Demo data: one open productisation survey round of the demo call, which 北港軟體 (whose training
award ended ten days ago, ``devtools.demo_closeout``) sees on its dashboard. Call it after
``load_demo_closeout``. Idempotent. Development only."""

import datetime

from django.utils import timezone

DEMO_TITLE = "115年度產品化調查（第1次）"
DEMO_TITLE_EN = "2026 productisation survey (round 1)"
DEMO_DAYS_OPEN = 30


def load_demo_followup(now=None):
    """The open round 「115年度產品化調查（第1次）」: opened today, due in 30 days."""
    from aipower.calls.models import Call

    from .models import Round

    now = now or timezone.now()
    today = timezone.localdate(now)
    call = Call.objects.get(year=115)
    round_, _created = Round.objects.get_or_create(
        call=call,
        title=DEMO_TITLE,
        defaults={
            "title_en": DEMO_TITLE_EN,
            "opens_on": today,
            "due_on": today + datetime.timedelta(days=DEMO_DAYS_OPEN),
            "opened_at": now,
        },
    )
    return round_
