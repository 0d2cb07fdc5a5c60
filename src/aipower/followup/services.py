"""The productisation survey's business operations: opening and changing a round, which awards
a round covers, each award's standing, saving a draft and submitting.

Rules (seed 使用規範 item 1; spec 03-rules "User obligations"): for at least 3 years after the
programme an awarded company cooperates with the follow-up of outcomes and submits the
productisation survey (產品化調查).
- A round covers every award of its call whose period of use has ended by the round's opening
  day — the deliverables' rule (``deliverables.services.is_open`` on that day: the day after the
  period's last day, or earlier when the service ended early) — and any award that has answered.
- The company may save a draft and submit from ``opens_on`` to ``due_on`` inclusive; after a
  submission it may submit again until ``due_on`` (each submission is a new version; the latest
  counts). After ``due_on`` the round is read-only for the company.
- Standing: 已填報 once submitted; otherwise 未填報 until ``due_on`` and 逾期 after it.
"""

import dataclasses
import datetime
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aipower.applications.services import fingerprint
from aipower.calls.enums import CategoryKind
from aipower.calls.models import Call
from aipower.core import audit
from aipower.deliverables import services as deliverables
from aipower.grants.models import Allowance

from .enums import Status
from .models import Response, ResponseVersion, Round

MESSAGES = {
    "due_before_opening": _("填報截止日不可早於開放填報日"),
    "same_title": _("此徵件已有同名的產品化調查，請改用其他名稱（例如「第2次」）"),
    "closed": _("本次產品化調查目前未開放填報"),
}

# Answers of the application's section 8 that pre-fill a company's first survey form.
PREFILLED_FROM_APPLICATION = (
    "customers",
    "progress",
    "product_forms",
    "product_forms_other",
    "pricing_units",
    "pricing_units_other",
    "pricing_period",
    "pricing_period_other",
)


def accepting(round_, today=None):
    """Whether the company may save and submit (``opens_on`` to ``due_on``, inclusive)."""
    today = today or timezone.localdate()
    return round_.opens_on <= today <= round_.due_on


def started(round_, today=None):
    today = today or timezone.localdate()
    return round_.opens_on <= today


def covers(round_, allowance, answered=()):
    """Whether the round covers the allowance's award (``answered``: award ids with a response)."""
    if allowance.award.category.call_id != round_.call_id:
        return False
    return deliverables.is_open(allowance, round_.opens_on) or allowance.award_id in answered


def _answered(round_):
    return set(Response.objects.filter(round=round_).values_list("award_id", flat=True))


def round_allowances(round_):
    """The allowances of every award the round covers, oldest period end first."""
    answered = _answered(round_)
    rows = deliverables.allowances().filter(award__category__call_id=round_.call_id)
    return [allowance for allowance in rows if covers(round_, allowance, answered)]


def planned(application):
    """What the application planned in section 7 (預期效益): models (training only) and
    applications, as integers or ``None`` when not given."""
    section = application.section(application.category)

    def number(key):
        value = section.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    return {
        "models": number("expected_models")
        if application.category == CategoryKind.TRAINING
        else None,
        "applications": number("expected_applications"),
    }


@dataclasses.dataclass
class Standing:
    """One award's answer to one round as of ``today``."""

    round: Round
    allowance: Allowance
    response: Response | None
    versions: list  # newest first
    today: datetime.date

    @property
    def award(self):
        return self.allowance.award

    @property
    def application(self):
        return self.allowance.award.application

    @property
    def latest(self):
        return self.versions[0] if self.versions else None

    @property
    def submitted(self):
        return bool(self.versions)

    @property
    def status(self):
        if self.versions:
            return Status.SUBMITTED
        return Status.OVERDUE if self.today > self.round.due_on else Status.PENDING

    @property
    def status_label(self):
        return Status(self.status).label

    @property
    def accepting(self):
        return accepting(self.round, self.today)

    @property
    def days_left(self):
        return (self.round.due_on - self.today).days

    @property
    def draft_pending(self):
        """A draft saved after the latest submission (or never submitted)."""
        if self.response is None or self.response.draft_saved_at is None:
            return False
        return self.latest is None or self.response.draft_saved_at > self.latest.submitted_at

    @property
    def planned(self):
        return planned(self.application)

    def answers(self):
        """What the form starts from: the draft, else the latest submission, else the
        application's section 8 answers."""
        if self.response is not None and self.response.draft:
            return dict(self.response.draft)
        if self.latest is not None:
            return dict(self.latest.data)
        section = self.application.section(self.application.category)
        return {key: section[key] for key in PREFILLED_FROM_APPLICATION if key in section}


def _versions_by_response(responses):
    """Each response's versions, newest first (one query for all of them)."""
    versions = defaultdict(list)
    for row in (
        ResponseVersion.objects.filter(response__in=list(responses))
        .select_related("submitted_by")
        .order_by("-number")
    ):
        versions[row.response_id].append(row)
    return versions


def _standing(round_, allowance, response, versions, today):
    """The ``Standing`` of ``allowance`` in ``round_`` from responses and versions read in bulk."""
    return Standing(
        round=round_,
        allowance=allowance,
        response=response,
        versions=versions[response.pk] if response else [],
        today=today,
    )


def standings(round_, allowance_list=None, today=None):
    """The ``Standing`` of each allowance in the round (all it covers unless given)."""
    today = today or timezone.localdate()
    if allowance_list is None:
        allowance_list = round_allowances(round_)
    allowance_list = list(allowance_list)
    award_ids = [allowance.award_id for allowance in allowance_list]
    responses = {
        row.award_id: row for row in Response.objects.filter(round=round_, award_id__in=award_ids)
    }
    versions = _versions_by_response(responses.values())
    return [
        _standing(round_, allowance, responses.get(allowance.award_id), versions, today)
        for allowance in allowance_list
    ]


def standings_by_round(rounds, today=None):
    """``{round pk: [Standing, …]}``: what ``standings(round_)`` gives for each of ``rounds``, in
    three queries for all of them (the staff's list of rounds)."""
    today = today or timezone.localdate()
    rounds = list(rounds)
    allowance_list = list(
        deliverables.allowances().filter(award__category__call_id__in={r.call_id for r in rounds})
    )
    responses = defaultdict(dict)
    for row in Response.objects.filter(round__in=rounds):
        responses[row.round_id][row.award_id] = row
    versions = _versions_by_response(
        response for answered in responses.values() for response in answered.values()
    )
    result = {}
    for round_ in rounds:
        answered = responses[round_.pk]
        result[round_.pk] = [
            _standing(round_, allowance, answered.get(allowance.award_id), versions, today)
            for allowance in allowance_list
            if covers(round_, allowance, answered)
        ]
    return result


def company_standings(company_id, today=None, call_id=None):
    """The company's standing in every round that has opened and covers one of its awards,
    newest round first (optionally only the rounds of one call): four queries however many
    rounds there are."""
    today = today or timezone.localdate()
    allowance_list = list(deliverables.allowances().filter(company_id=company_id))
    calls = {allowance.award.category.call_id for allowance in allowance_list}
    if call_id is not None:
        calls &= {call_id}
    rounds = list(
        Round.objects.filter(call_id__in=calls, opens_on__lte=today).select_related("call")
    )
    responses = {
        (row.round_id, row.award_id): row
        for row in Response.objects.filter(
            round__in=rounds, award_id__in=[allowance.award_id for allowance in allowance_list]
        )
    }
    versions = _versions_by_response(responses.values())
    result = []
    for round_ in rounds:
        # Only the company's own awards are looked up: another's answer changes nothing here.
        answered = {award_id for round_id, award_id in responses if round_id == round_.pk}
        for allowance in allowance_list:
            if not covers(round_, allowance, answered):
                continue
            response = responses.get((round_.pk, allowance.award_id))
            result.append(_standing(round_, allowance, response, versions, today))
    return result


def company_standing(round_, company_id, today=None):
    """The company's standing in a round that has opened, or ``None``."""
    today = today or timezone.localdate()
    if not started(round_, today):
        return None
    answered = _answered(round_)
    mine = [
        allowance
        for allowance in deliverables.allowances().filter(company_id=company_id)
        if covers(round_, allowance, answered)
    ]
    return standings(round_, mine[:1], today)[0] if mine else None


def standing_of(round_, award_id, today=None):
    """One award's standing in the round (staff pages), or ``None`` if the round does not
    cover it."""
    allowance = deliverables.allowances().filter(award_id=award_id).first()
    if allowance is None or not covers(round_, allowance, _answered(round_)):
        return None
    return standings(round_, [allowance], today)[0]


FILTERS = {
    Status.SUBMITTED.value: lambda row: row.status == Status.SUBMITTED,
    Status.PENDING.value: lambda row: row.status == Status.PENDING,
    Status.OVERDUE.value: lambda row: row.status == Status.OVERDUE,
}


def filtered(rows, name):
    """Rows of one status (``submitted`` 已填報, ``pending`` 未填報, ``overdue`` 逾期)."""
    keep = FILTERS.get(name)
    return [row for row in rows if keep(row)] if keep else list(rows)


def counts(rows):
    """How many rows have each status, and all of them ("")."""
    result = {"": len(rows)}
    for name in FILTERS:
        result[name] = len(filtered(rows, name))
    return result


def _check_dates(opens_on, due_on):
    if due_on < opens_on:
        raise ValidationError(
            {"due_on": ValidationError(MESSAGES["due_before_opening"], code="due_before_opening")}
        )


def _check_title(call, title, round_=None):
    """A call's rounds have different titles: the companies and the reminders tell them apart
    by it (a form sent twice, or a round opened again by mistake, would make two of one)."""
    # One at a time per call, so that two sent together cannot both pass.
    Call.objects.select_for_update().filter(pk=call.pk).first()
    same = Round.objects.filter(call=call, title__iexact=title.strip())
    if round_ is not None:
        same = same.exclude(pk=round_.pk)
    if same.exists():
        raise ValidationError({"title": ValidationError(MESSAGES["same_title"], code="same_title")})


def open_round(*, call, title, opens_on, due_on, by, title_en="", request=None, now=None):
    """The operator opens a survey round of ``call`` (refused when the call has a round of
    that title)."""
    _check_dates(opens_on, due_on)
    now = now or timezone.now()
    with transaction.atomic():
        _check_title(call, title)
        round_ = Round.objects.create(
            call=call,
            title=title.strip(),
            title_en=title_en.strip(),
            opens_on=opens_on,
            due_on=due_on,
            opened_by=by,
            opened_at=now,
        )
        awards = len(round_allowances(round_))
        audit.record(
            "followup.round_opened",
            request=request,
            actor=by,
            obj=round_,
            call=call.pk,
            title=round_.title,
            title_en=round_.title_en,
            opens_on=opens_on,
            due_on=due_on,
            awards=awards,
        )
    return round_


def change_round(round_, *, title, opens_on, due_on, by, title_en=None, request=None):
    """The operator changes a round's titles or dates (e.g. extends the due date);
    ``title_en`` None keeps the English title."""
    _check_dates(opens_on, due_on)
    title_en = round_.title_en if title_en is None else title_en.strip()
    before = {
        "title": round_.title,
        "title_en": round_.title_en,
        "opens_on": round_.opens_on,
        "due_on": round_.due_on,
    }
    after = {"title": title.strip(), "title_en": title_en, "opens_on": opens_on, "due_on": due_on}
    changed = {key: [before[key], value] for key, value in after.items() if before[key] != value}
    if not changed:
        return round_
    with transaction.atomic():
        if "title" in changed:
            _check_title(round_.call, title, round_)
        for key, value in after.items():
            setattr(round_, key, value)
        round_.save(update_fields=list(after))
        audit.record("followup.round_changed", request=request, actor=by, obj=round_, **changed)
    return round_


def _response(standing, lock=False):
    rows = Response.objects.select_for_update() if lock else Response.objects
    response, _created = rows.get_or_create(round=standing.round, award=standing.award)
    return response


def _check_accepting(standing, now):
    if not accepting(standing.round, timezone.localdate(now)):
        raise ValidationError(MESSAGES["closed"], code="closed")


def save_draft(standing, values, *, now=None):
    """Keep what the company typed (valid or not) as the round's draft."""
    now = now or timezone.now()
    _check_accepting(standing, now)
    with transaction.atomic():
        response = _response(standing, lock=True)
        response.draft = values
        response.draft_saved_at = now
        response.save(update_fields=["draft", "draft_saved_at"])
    standing.response = response
    return response


def submit(standing, values, *, by, request=None, now=None):
    """Submit the fully validated answers: a new version (the latest counts), also the draft.

    The same answers as the latest version (the form sent again: the back button, a second
    click, another tab) make no new version: the latest is returned with ``repeated`` set."""
    now = now or timezone.now()
    _check_accepting(standing, now)
    with transaction.atomic():
        response = _response(standing, lock=True)
        latest = response.versions.order_by("-number").first()
        if latest is not None and latest.fingerprint == fingerprint(values):
            latest.repeated = True
            return latest
        number = (response.versions.aggregate(last=Max("number"))["last"] or 0) + 1
        version = ResponseVersion.objects.create(
            response=response,
            number=number,
            data=values,
            fingerprint=fingerprint(values),
            submitted_by=by,
            submitted_at=now,
        )
        response.draft = values
        response.draft_saved_at = now
        response.save(update_fields=["draft", "draft_saved_at"])
        audit.record(
            "followup.submitted",
            request=request,
            actor=by,
            obj=version,
            round=standing.round.pk,
            award=standing.award.pk,
            version=number,
            fingerprint=version.fingerprint,
        )
    standing.response = response
    standing.versions.insert(0, version)
    version.repeated = False
    return version
