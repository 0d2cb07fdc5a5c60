"""E-mails of the review, from stored templates the operator can edit.

Each ``NotificationTemplate`` has a zh-Hant and an English subject and body in Django template
syntax; mails go out in zh-Hant (the programme's language). ``queue_for_application`` sends after
the surrounding transaction commits, through the tasks framework (``tasks.send_notification``),
and every message is kept in ``applications.SentMail``.
"""

from __future__ import annotations

from django.db import transaction
from django.template import Context, Engine

from aipower.applications import services as application_services
from aipower.applications.models import Application
from aipower.calls.enums import CategoryKind

from .models import NotificationTemplate

# key: (description, subject, body) — zh-Hant, then English.
DEFAULT_TEMPLATES = {
    "supplement_requested": (
        "補件通知",
        (
            "【{{ call }}】申請案 {{ number }} 補件通知",
            "[{{ call }}] Application {{ number }}: please supplement",
        ),
        (
            "{{ company }} 您好：\n\n"
            "貴公司申請案 {{ number }}（{{ category }}）經資格審查，需補正下列資料：\n\n"
            "{{ reason }}\n\n"
            "請於 {{ deadline }} 前登入申請系統，於「申請案狀態」頁面依說明補正後重新送出。"
            "逾期未補正者，依規定不予受理。\n\n"
            "如有疑問，請洽申請客服信箱 {{ service_email }}。\n",
            "Dear {{ company }},\n\n"
            "The eligibility review of application {{ number }} ({{ category }}) needs more "
            "information:\n\n{{ reason }}\n\n"
            "Please sign in before {{ deadline }}, correct the named parts on the status page "
            "and submit again. Applications not supplemented in time are not accepted.\n\n"
            "Questions: {{ service_email }}.\n",
        ),
    ),
    "supplement_reminder": (
        "補件期限將屆提醒",
        (
            "【{{ call }}】申請案 {{ number }} 補件期限將屆",
            "[{{ call }}] Application {{ number }}: supplement due soon",
        ),
        (
            "{{ company }} 您好：\n\n貴公司申請案 {{ number }} 之補件期限為 {{ deadline }}，"
            "尚未收到補正資料。逾期未補正者，依規定不予受理。\n",
            "Dear {{ company }},\n\nThe supplement for application {{ number }} is due "
            "{{ deadline }} and has not been received yet. Applications not supplemented in "
            "time are not accepted.\n",
        ),
    ),
    "supplement_received": (
        "補件收執",
        (
            "【{{ call }}】申請案 {{ number }} 已收到補件",
            "[{{ call }}] Application {{ number }}: supplement received",
        ),
        (
            "{{ company }} 您好：\n\n已收到貴公司申請案 {{ number }} 之補正資料，"
            "執行單位將繼續進行資格審查。\n",
            "Dear {{ company }},\n\nWe received the supplement for application {{ number }}; "
            "the eligibility review continues.\n",
        ),
    ),
    "not_accepted": (
        "不予受理通知",
        (
            "【{{ call }}】申請案 {{ number }} 不予受理",
            "[{{ call }}] Application {{ number }} not accepted",
        ),
        (
            "{{ company }} 您好：\n\n貴公司申請案 {{ number }} 未於補件期限 {{ deadline }} 前"
            "補正資料，依規定不予受理。\n\n{{ reason }}\n\n"
            "如有疑問，請洽申請客服信箱 {{ service_email }}。\n",
            "Dear {{ company }},\n\nApplication {{ number }} was not supplemented by "
            "{{ deadline }} and is therefore not accepted.\n\n{{ reason }}\n\n"
            "Questions: {{ service_email }}.\n",
        ),
    ),
    "ineligible": (
        "資格不符通知",
        (
            "【{{ call }}】申請案 {{ number }} 資格審查結果",
            "[{{ call }}] Application {{ number }}: eligibility review",
        ),
        (
            "{{ company }} 您好：\n\n貴公司申請案 {{ number }} 經資格審查，不符合申請資格，"
            "理由如下：\n\n{{ reason }}\n\n如有疑問，請洽申請客服信箱 {{ service_email }}。\n",
            "Dear {{ company }},\n\nApplication {{ number }} does not meet the eligibility "
            "requirements:\n\n{{ reason }}\n\nQuestions: {{ service_email }}.\n",
        ),
    ),
    "approved": (
        "核定通過通知",
        (
            "【{{ call }}】申請案 {{ number }} 核定通過",
            "[{{ call }}] Application {{ number }} approved",
        ),
        (
            "{{ company }} 您好：\n\n恭喜！貴公司申請案 {{ number }}（{{ category }}）經審查會議"
            "審議及主辦單位核定，核定級別 {{ tier }}，核發點數 {{ points }} 點，"
            "使用期間 {{ starts_on }} 至 {{ ends_on }}。\n\n請登入申請系統查看核定內容。\n",
            "Dear {{ company }},\n\nCongratulations! Application {{ number }} ({{ category }}) "
            "is approved at tier {{ tier }} with {{ points }} points, usable from {{ starts_on }} "
            "to {{ ends_on }}.\n\nPlease sign in to see the award.\n",
        ),
    ),
    "not_approved": (
        "未獲核定通知",
        (
            "【{{ call }}】申請案 {{ number }} 審查結果",
            "[{{ call }}] Application {{ number }}: review result",
        ),
        (
            "{{ company }} 您好：\n\n貴公司申請案 {{ number }} 經審查會議審議，未獲核定。"
            "\n\n{{ reason }}\n\n感謝您的參與。\n",
            "Dear {{ company }},\n\nApplication {{ number }} was not approved by the review "
            "meeting.\n\n{{ reason }}\n\nThank you for taking part.\n",
        ),
    ),
    "reviewer_assigned": (
        "審查指派通知（委員）",
        ("【{{ call }}】審查案件指派通知", "[{{ call }}] Applications assigned to you"),
        (
            "{{ reviewer }} 委員您好：\n\n執行單位已指派申請案 {{ number }} 請您審查。"
            "請登入工作人員系統，先聲明利益迴避，再進行評分。\n",
            "Dear {{ reviewer }},\n\nApplication {{ number }} has been assigned to you. Please "
            "sign in, declare any conflict of interest, then score it.\n",
        ),
    ),
    "reviewer_reminder": (
        "審查提醒（委員）",
        ("【{{ call }}】審查評分提醒", "[{{ call }}] Reminder: scores due"),
        (
            "{{ reviewer }} 委員您好：\n\n您尚有 {{ pending }} 件審查案件未送出評分，"
            "請於審查會議前完成。\n",
            "Dear {{ reviewer }},\n\n{{ pending }} of your assigned applications still wait "
            "for your scores; please submit them before the review meeting.\n",
        ),
    ),
}


def seed_templates(model=NotificationTemplate):
    """Create the templates that do not exist yet (edited ones are kept). Idempotent."""
    created = 0
    for key, (
        description,
        (subject_zh, subject_en),
        (body_zh, body_en),
    ) in DEFAULT_TEMPLATES.items():
        _obj, was_created = model.objects.get_or_create(
            key=key,
            defaults={
                "description": description,
                "subject_zh": subject_zh,
                "subject_en": subject_en,
                "body_zh": body_zh,
                "body_en": body_en,
            },
        )
        created += was_created
    return created


_engine = Engine(autoescape=False)


def render(key, context, language="zh"):
    """(subject, body) of template ``key`` rendered with ``context`` (plain text)."""
    template = NotificationTemplate.objects.filter(key=key).first()
    if template is None:
        seed_templates()
        template = NotificationTemplate.objects.get(key=key)
    subject = getattr(template, f"subject_{language}") or template.subject_zh
    body = getattr(template, f"body_{language}") or template.body_zh
    ctx = Context(context, autoescape=False)
    subject = " ".join(_engine.from_string(subject).render(ctx).split())
    return subject, _engine.from_string(body).render(ctx)


def application_context(app):
    category = CategoryKind(app.category).label if app.category else ""
    return {
        "call": app.call.title_zh,
        "number": app.number or "",
        "company": app.company.name,
        "category": str(category),
        "service_email": app.call.service_email,
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


def queue_for_application(key, app, **extra):
    """Send ``key`` about ``app`` once the current transaction commits."""
    from .tasks import send_notification

    values = {name: "" if value is None else str(value) for name, value in extra.items()}
    transaction.on_commit(lambda: send_notification.enqueue(key, app.pk, values))


def send_to_staff(key, user, context, application=None):
    """A staff notification (assignment, reminder) to ``user``, kept in SentMail."""
    if not user.email:
        return None
    subject, body = render(
        key, {"reviewer": user.get_full_name() or user.get_username(), **context}
    )
    return application_services.send_mail_stored(
        to=[user.email], subject=subject, body=body, application=application
    )
