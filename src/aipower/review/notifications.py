"""E-mails of the review, from stored templates the operator can edit.

The templates (and every other notice's) are kept in the one store ``core.notices`` — defaults
in ``core.notice_texts``, edited in the admin as 通知範本. Each has a zh-Hant and an English
subject and body in Django template syntax; the review's mails go out in zh-Hant (the
programme's language). ``queue_for_application`` puts the mail in the outbox
(``applications.SentMail``), which sends it once the surrounding transaction commits — a
rolled-back change sends nothing.
"""

from __future__ import annotations

import datetime

from django.utils import translation
from django.utils.functional import Promise, lazy

from aipower.applications import flow
from aipower.applications import services as application_services
from aipower.applications.models import Application
from aipower.calls.enums import CategoryKind
from aipower.core import notices
from aipower.core.i18n import join_list
from aipower.core.notice_texts import DEFAULT_TEMPLATES
from aipower.core.notices import render, seed_templates
from aipower.core.roc import format_date_in, format_roc_date

# Kept here for the review's migration 0003 and for callers of the review's API.
__all__ = ["DEFAULT_TEMPLATES", "render", "seed_templates"]


def application_context(app):
    # The label stays lazy: ``render`` writes it in the notice's language (zh-Hant), whatever
    # language the operator's page who caused the notice is in.
    category = CategoryKind(app.category).label if app.category else ""
    return {
        "call": app.call.title_zh,
        "number": app.number or "",
        "company": app.company.name,
        "category": category,
        # The programme's 聯繫窗口; the line in the notice's language (``render`` overrides it).
        **notices.service_contact(app.call),
    }


def send_for_application(key, application_id, extra=None):
    """Render and send ``key`` to the application's contacts now; the SentMail or None."""
    app = Application.objects.select_related("call", "company").get(pk=application_id)
    recipients = application_services.contact_emails(app)
    if not recipients:
        return None
    subject, body = render(key, {**application_context(app), **(extra or {})})
    return application_services.send_mail_stored(
        to=recipients, subject=subject, body=body, application=app
    )


def _notice_text(value):
    """A context value as the zh-Hant notice writes it: dates in 民國, as the receipt does;
    a lazy label is left to ``render`` (it writes it in the notice's language)."""
    if value is None:
        return ""
    if isinstance(value, Promise):
        return value
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return format_roc_date(value)
    return str(value)


def _step_titles(identifiers):
    """The wizard pages a supplement names, as the applicant knows them (「企業基本資料表及個資
    同意書、專案重要性及訓練資料集」), in the notice's language — not their identifiers."""
    return lazy(lambda: join_list(flow.get_step(step).title for step in identifiers), str)()


def queue_for_application(key, app, **extra):
    """Send ``key`` about ``app`` once the current transaction commits (the outbox's rule)."""
    if "steps" in extra:
        extra["steps"] = _step_titles(list(extra["steps"] or ()))
    values = {name: _notice_text(value) for name, value in extra.items()}
    return send_for_application(key, app.pk, values)


def send_to_staff(key, user, context, application=None):
    """A staff notification (assignment, reminder) to ``user``, kept in SentMail."""
    if not user.email:
        return None
    subject, body = render(key, {"reviewer": user.shown_name, **context})
    return application_services.send_mail_stored(
        to=[user.email], subject=subject, body=body, application=application, to_staff=True
    )


def reviewer_reminder_context(batch, pending):
    """The reminder's variables: the batch (「115 模型訓練類 第一梯次」) and its review meeting's
    date (the batch's 預計審查日), each written in the notice's language when rendered."""
    from .services import batch_label  # services imports this module

    return {
        "call": batch.category.call.title_zh,
        "pending": pending,
        "batch": lazy(lambda: batch_label(batch), str)(),
        "review_date": lazy(
            lambda: format_date_in(batch.review_date, translation.get_language()), str
        )(),
    }
