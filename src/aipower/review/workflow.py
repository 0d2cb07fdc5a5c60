"""The application's workflow as data, and the one function every state change goes through.

``TRANSITIONS`` is the table: from which state to which, who may make the move, whether a reason
is required, and which notification the applicant gets. ``STATES`` gives each state the staff's
wording and the applicant's (an applicant does not see the meeting's decision before the
organiser approves the list, so ``decided`` still reads 「審查中」 to them).

``transition(application, to_state, by, **context)`` checks the table and the actor, saves in a
transaction, records the change (``StateChange`` and the audit log) and queues the notification
for after the commit.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from aipower.accounts.enums import Role
from aipower.applications.enums import APPLICANT_LABELS
from aipower.applications.enums import ApplicationState as S
from aipower.applications.models import Application
from aipower.core import audit

from .models import StateChange

# Who may act: the staff roles, the applicant company itself, and the system (no user: the
# scheduled deadline task, or a conflict of interest found after assignment).
OPERATOR = Role.OPERATOR.value
ORGANISER = Role.ORGANISER.value
COMPANY = Role.COMPANY.value
SYSTEM = "system"


@dataclass(frozen=True)
class StateInfo:
    staff_label: str
    applicant_label: str


STATES = {state: StateInfo(state.label, APPLICANT_LABELS[state]) for state in S}


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    actors: frozenset
    needs_reason: bool = False
    notification: str = ""  # a NotificationTemplate key


def _t(source, target, *actors, needs_reason=False, notification=""):
    return Transition(source, target, frozenset(actors), needs_reason, notification)


ELIGIBILITY_OUTCOMES = (S.ELIGIBLE, S.INELIGIBLE, S.SUPPLEMENT_REQUESTED)

TRANSITIONS = (
    # Submission itself is applications.services.submit_application (the applicant's move).
    _t(S.DRAFT, S.SUBMITTED, COMPANY),
    _t(S.SUBMITTED, S.ELIGIBILITY_REVIEW, OPERATOR),
    _t(S.ELIGIBILITY_REVIEW, S.ELIGIBLE, OPERATOR),
    _t(S.ELIGIBILITY_REVIEW, S.INELIGIBLE, OPERATOR, needs_reason=True, notification="ineligible"),
    _t(
        S.ELIGIBILITY_REVIEW,
        S.SUPPLEMENT_REQUESTED,
        OPERATOR,
        needs_reason=True,
        notification="supplement_requested",
    ),
    _t(S.SUPPLEMENT_REQUESTED, S.RESUBMITTED, COMPANY, notification="supplement_received"),
    _t(
        S.SUPPLEMENT_REQUESTED,
        S.NOT_ACCEPTED,
        SYSTEM,
        needs_reason=True,
        notification="not_accepted",
    ),
    _t(S.RESUBMITTED, S.ELIGIBLE, OPERATOR),
    _t(S.RESUBMITTED, S.INELIGIBLE, OPERATOR, needs_reason=True, notification="ineligible"),
    _t(
        S.RESUBMITTED,
        S.SUPPLEMENT_REQUESTED,
        OPERATOR,
        needs_reason=True,
        notification="supplement_requested",
    ),
    _t(S.ELIGIBLE, S.IN_REVIEW, OPERATOR),
    _t(S.IN_REVIEW, S.DECIDED, OPERATOR),
    # The system too: a conflict found after the meeting decided withdraws the decision; the
    # organiser sends a decision back to the operator instead of approving it.
    _t(S.DECIDED, S.IN_REVIEW, OPERATOR, ORGANISER, SYSTEM),
    _t(S.DECIDED, S.APPROVED, ORGANISER, notification="approved"),
    _t(S.DECIDED, S.NOT_APPROVED, ORGANISER, notification="not_approved"),
)
TABLE = {(t.source, t.target): t for t in TRANSITIONS}


class TransitionRefused(Exception):
    """The move is not in the table, or is missing its reason."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class TransitionNotPermitted(TransitionRefused):
    """The actor may not make this move on this application."""


def allowed_targets(state):
    return [t.target for t in TRANSITIONS if t.source == state]


def actor_kind(user, application):
    """Which of the table's actors ``user`` is for ``application`` (None: not one of them)."""
    if user is None:
        return SYSTEM
    if not user.is_authenticated or not user.is_active:
        return None
    if user.role == Role.COMPANY:
        return COMPANY if user.company_id == application.company_id else None
    return user.role


def may(user, application, to_state):
    rule = TABLE.get((application.state, to_state))
    return rule is not None and actor_kind(user, application) in rule.actors


def applicant_label(state):
    return STATES[S(state)].applicant_label


def staff_label(state):
    return STATES[S(state)].staff_label


def already_done(app):
    """Why a move to the state ``app`` is already in is refused: the same form sent again (the
    back button, a second click) or another staff member acting first — who did it and when,
    so that nobody takes it for a failure or does it again."""
    from aipower.applications.services import format_taipei

    last = (
        StateChange.objects.filter(application=app, to_state=app.state)
        .select_related("by")
        .order_by("-at", "-pk")
        .first()
    )
    if last is None:
        return _("申請案目前已為「%(state)s」，本次未重複處理") % {"state": staff_label(app.state)}
    who = last.by.shown_name if last.by else _("系統")
    return _("申請案已於 %(at)s 由 %(who)s 改為「%(state)s」，本次未重複處理") % {
        "at": format_taipei(last.at, translation.get_language()),
        "who": who,
        "state": staff_label(app.state),
    }


def transition(application, to_state, by, *, reason="", request=None, now=None, **context):
    """Move ``application`` to ``to_state`` on behalf of ``by`` (None: the system).

    Refused (``TransitionRefused``) when the table has no such move or a needed reason is
    missing; ``TransitionNotPermitted`` when ``by`` may not make it. ``context`` goes into the
    audit entry and the notification's template context. Returns the saved application.
    """
    now = now or timezone.now()
    to_state = S(to_state)
    with transaction.atomic():
        app = (
            # Lock only the application's row: PostgreSQL refuses FOR UPDATE on the nullable
            # side of the outer join that select_related("batch") makes.
            Application.objects.select_for_update(of=("self",))
            .select_related("call", "company", "batch")
            .get(pk=application.pk)
        )
        rule = TABLE.get((app.state, to_state))
        if rule is None and app.state == to_state:
            raise TransitionRefused(already_done(app))
        if rule is None:
            raise TransitionRefused(
                _("申請案目前為「%(source)s」，不能改為「%(target)s」")
                % {"source": staff_label(app.state), "target": staff_label(to_state)}
            )
        if actor_kind(by, app) not in rule.actors:
            raise TransitionNotPermitted(_("您沒有權限執行此操作"))
        reason = (reason or "").strip()
        if rule.needs_reason and not reason:
            raise TransitionRefused(_("請填寫理由"))
        before = app.state
        app.state = to_state
        app.revision += 1
        app.save(update_fields=["state", "revision", "updated_at"])
        StateChange.objects.create(
            application=app, from_state=before, to_state=to_state, by=by, at=now, reason=reason
        )
        audit.record(
            "application.transition",
            request=request,
            actor=by,
            obj=app,
            number=app.number,
            before=before,
            after=to_state.value,
            reason=reason,
            **context,
        )
        if rule.notification:
            from .notifications import queue_for_application

            queue_for_application(rule.notification, app, reason=reason, **context)
    application.state = app.state
    application.revision = app.revision
    return app
