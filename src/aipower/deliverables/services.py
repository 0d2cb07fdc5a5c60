"""The deliverables' business operations: when uploads open and are due, each award's standing,
handing in an item, and recording the product demo meeting.

Rules (spec 03-rules "User obligations", 05-platform "Compliance monitoring"):
- Uploads open when the service has ended: the day after the period's last day
  (``Allowance.ends_on``), or earlier when the service ended early (points used up, terminated,
  or expired by the housekeeping). A suspended service has not ended.
- Due date: the period's last day + ``Call.deliverables_days`` calendar days (30 in the seeded
  call), whether or not the service ended early: the programme counts from the platform's
  expiry date (平台使用到期日), and an early end never shortens the company's time.
- An item counts as handed in on time when its *first* submission was on or before the due date
  (a later replacement does not make it late); the latest submission is the one that counts.
- Late hand-ins are accepted and shown as 逾期繳交.
"""

import dataclasses
import datetime
import functools
import hashlib
import operator
import unicodedata
from collections import defaultdict
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, DateField, Exists, Func, OuterRef, Q, Sum
from django.utils import timezone

from aipower.calls.enums import CategoryKind
from aipower.core import audit
from aipower.core.validators import normalize_ubn
from aipower.grants.models import Allowance, AllowanceState

from . import validators
from .enums import Item, ItemState, Status
from .models import DemoAttendance, Submission

# States in which the service has ended before the period's last day.
ENDED_STATES = (AllowanceState.EXHAUSTED, AllowanceState.EXPIRED, AllowanceState.ENDED)


def due_on(allowance):
    """The last day to hand in: the period's last day + the call's deliverables days."""
    days = allowance.award.category.call.deliverables_days
    return allowance.ends_on + datetime.timedelta(days=days)


def is_open(allowance, today=None):
    """Whether the company may hand in its deliverables (its service has ended)."""
    today = today or timezone.localdate()
    return today > allowance.ends_on or allowance.state in ENDED_STATES


def allowances():
    """Every allowance with what the deliverables pages read, oldest period end first."""
    return Allowance.objects.select_related(
        "award__application", "award__category__call", "company"
    ).order_by("ends_on", "company__ubn", "pk")


@dataclasses.dataclass
class ItemStatus:
    item: Item
    state: str
    history: list  # newest first
    due_on: datetime.date

    @property
    def latest(self):
        return self.history[0] if self.history else None

    @property
    def label(self):
        return Item(self.item).label

    @property
    def state_label(self):
        return ItemState(self.state).label

    @property
    def submitted(self):
        return bool(self.history)

    @property
    def first_submitted_on(self):
        return timezone.localdate(self.history[-1].submitted_at) if self.history else None


@dataclasses.dataclass
class Obligation:
    """One award's deliverables as of ``today``."""

    allowance: Allowance
    due_on: datetime.date
    open: bool
    items: list
    attendances: list  # newest first; training awards only
    today: datetime.date

    @property
    def award(self):
        return self.allowance.award

    @property
    def training(self):
        return self.allowance.kind == CategoryKind.TRAINING

    @property
    def attendance(self):
        return self.attendances[0] if self.attendances else None

    @property
    def complete(self):
        return all(status.submitted for status in self.items)

    @property
    def missing(self):
        return [status for status in self.items if not status.submitted]

    @property
    def status(self):
        if self.complete:
            return Status.COMPLETE
        if not self.open:
            return Status.NOT_OPEN
        return Status.OVERDUE if self.today > self.due_on else Status.PENDING

    @property
    def status_label(self):
        return Status(self.status).label

    @property
    def overdue(self):
        return self.status == Status.OVERDUE

    @property
    def incomplete(self):
        return self.status in (Status.PENDING, Status.OVERDUE)

    @property
    def days_left(self):
        return (self.due_on - self.today).days


def _item_state(history, due, opened, today):
    if history:
        first = timezone.localdate(history[-1].submitted_at)
        return ItemState.LATE if first > due else ItemState.SUBMITTED
    if not opened:
        return ItemState.NOT_OPEN
    return ItemState.OVERDUE if today > due else ItemState.PENDING


def obligations(allowance_list, today=None):
    """The ``Obligation`` of each allowance (two queries for all of them)."""
    today = today or timezone.localdate()
    allowance_list = list(allowance_list)
    award_ids = [allowance.award_id for allowance in allowance_list]
    submissions = defaultdict(list)
    rows = (
        Submission.objects.filter(award_id__in=award_ids)
        .select_related("submitted_by")
        .order_by("-submitted_at", "-id")
    )
    for row in rows:
        submissions[(row.award_id, row.item)].append(row)
    attendances = defaultdict(list)
    for row in (
        DemoAttendance.objects.filter(award_id__in=award_ids)
        .select_related("recorded_by")
        .order_by("-recorded_at", "-id")
    ):
        attendances[row.award_id].append(row)
    result = []
    for allowance in allowance_list:
        due, opened = due_on(allowance), is_open(allowance, today)
        items = []
        for item in Item:
            history = submissions[(allowance.award_id, item.value)]
            items.append(ItemStatus(item, _item_state(history, due, opened, today), history, due))
        result.append(
            Obligation(
                allowance=allowance,
                due_on=due,
                open=opened,
                items=items,
                attendances=attendances[allowance.award_id],
                today=today,
            )
        )
    return result


def obligation(allowance, today=None):
    return obligations([allowance], today)[0]


# The staff list's filters: ``overdue`` 逾期 and ``incomplete`` 未繳齊, each row's own
# ``Obligation.overdue`` / ``incomplete``, kept by the database (``_standing``).
FILTERS = ("overdue", "incomplete")


class _DueOn(Func):
    """``due_on()`` in SQL: the period's last day + the call's deliverables days."""

    output_field = DateField()

    def __init__(self):
        super().__init__("ends_on", "award__category__call__deliverables_days")

    def _parts(self, compiler):
        ends_on, days = (compiler.compile(e) for e in self.source_expressions)
        return ends_on, days

    def as_sql(self, compiler, connection, **extra_context):
        (ends_on, ends_params), (days, days_params) = self._parts(compiler)
        return f"({ends_on} + CAST({days} AS integer))", (*ends_params, *days_params)

    def as_sqlite(self, compiler, connection, **extra_context):
        (ends_on, ends_params), (days, days_params) = self._parts(compiler)
        return f"date({ends_on}, '+' || {days} || ' days')", (*ends_params, *days_params)


def _standing(today):
    """The staff list's filters (``FILTERS``) as conditions on ``allowances()``: the
    same ``Obligation.incomplete`` (open, an item never handed in) and ``overdue`` (that, and
    past the due date)."""
    handed_in = [
        Exists(Submission.objects.filter(award_id=OuterRef("award_id"), item=item)) for item in Item
    ]
    complete = functools.reduce(operator.and_, handed_in)
    opened = Q(ends_on__lt=today) | Q(state__in=ENDED_STATES)
    incomplete = opened & ~complete
    return {"incomplete": incomplete, "overdue": incomplete & Q(_due_on__lt=today)}


def _searched(rows, search):
    """The rows whose company name, 統一編號 (as typed: full-width digits, spaces, hyphens) or
    application number holds ``search``."""
    search = (search or "").strip()
    if not search:
        return rows
    found = Q(company__name__icontains=search) | Q(award__application__number__icontains=search)
    ubn = normalize_ubn(search)
    if ubn:  # "-" alone is no number (and "" is in every one)
        found |= Q(company__ubn__contains=ubn)
    return rows.filter(found)


def listed(name, today=None, search=""):
    """The allowances the staff list shows under the filter ``name`` (``""``: every one), and
    the search ``search`` (``_searched``)."""
    today = today or timezone.localdate()
    rows = _searched(allowances(), search).alias(_due_on=_DueOn())
    condition = _standing(today).get(name)
    return rows.filter(condition) if condition is not None else rows


def filter_counts(today=None, search=""):
    """How many allowances each of the staff list's filters holds (within the search
    ``search``), in one query."""
    today = today or timezone.localdate()
    standing = _standing(today)
    counts = (
        _searched(Allowance.objects.all(), search)
        .alias(_due_on=_DueOn())
        .order_by()
        .aggregate(
            everything=Count("pk"),
            **{name: Count("pk", filter=condition) for name, condition in standing.items()},
        )
    )
    return {"": counts.pop("everything"), **counts}


def clean_filename(name):
    """The company's file name as shown and offered on download: no path, no control chars."""
    base = Path(str(name or "").replace("\\", "/")).name
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    if len(base) > 200:
        stem, suffix = Path(base).stem, Path(base).suffix[:10]
        base = stem[: 200 - len(suffix)] + suffix
    return base or "file"


def _digest(upload):
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _same_as_latest(allowance, item, *, sha256="", name="", link=""):
    """The item's latest submission when it is exactly what is handed in now (the same file
    by name and content, or the same link), else None."""
    latest = Submission.objects.filter(award_id=allowance.award_id, item=item).first()
    if latest is None:
        return None
    if sha256 and latest.file and (latest.sha256, latest.original_name) == (sha256, name):
        return latest
    if link and latest.link == link:
        return latest
    return None


def submit(allowance, item, *, by, upload=None, link="", request=None, now=None):
    """Hand in ``item`` for the allowance's award: a file or an https link (a new row).

    The same file or link as the item's latest submission (the form sent again: the back
    button, a second click, another tab) is not stored twice: that submission is returned with
    ``repeated`` set, and nothing is written. An award's submissions are taken one at a time
    (its allowance's row is locked), so two sent together cannot both pass that check.

    Raises ``ValidationError`` when the uploads are not open or the file/link is refused.
    """
    now = now or timezone.now()
    item = Item(item)
    if not is_open(allowance, timezone.localdate(now)):
        raise ValidationError("uploads are not open for this award", code="not_open")
    link = (link or "").strip()
    if upload is not None and link:
        raise ValidationError(validators.MESSAGES["both"], code="both")
    if upload is None and not link:
        raise ValidationError(validators.MESSAGES["choose_one"], code="choose_one")
    submission = Submission(
        award_id=allowance.award_id, item=item, submitted_by=by, submitted_at=now
    )
    if upload is not None:
        validators.validate_upload(upload, item)
        submission.original_name = clean_filename(upload.name)
        submission.size = upload.size
        submission.sha256 = _digest(upload)
    else:
        submission.link = validators.normalise_link(link)
    try:
        with transaction.atomic():
            Allowance.objects.select_for_update().filter(pk=allowance.pk).first()
            latest = _same_as_latest(
                allowance,
                item,
                sha256=submission.sha256,
                name=submission.original_name,
                link=submission.link,
            )
            if latest is not None:
                latest.repeated = True
                return latest
            if upload is not None:
                _check_room(allowance, upload, now)
                submission.file.save(submission.original_name, upload, save=False)
            submission.save()
            audit.record(
                "deliverables.submitted",
                request=request,
                actor=by,
                obj=submission,
                award=allowance.award_id,
                item=item.value,
                link=submission.link,
                file=submission.original_name,
                size=submission.size,
                sha256=submission.sha256,
            )
    except Exception:
        if submission.file:
            submission.file.storage.delete(submission.file.name)
        raise
    submission.repeated = False
    return submission


def _check_room(allowance, upload, now):
    """The award's uploads per hour and the space its files take, with ``upload`` added."""
    recent = Submission.objects.filter(
        award_id=allowance.award_id,
        submitted_at__gt=now - datetime.timedelta(hours=1),
    ).exclude(file="")
    if recent.count() >= validators.uploads_per_hour():
        raise ValidationError(
            validators.MESSAGES["rate"],
            code="rate",
            params={"limit": validators.uploads_per_hour()},
        )
    kept = Submission.objects.filter(award_id=allowance.award_id).aggregate(total=Sum("size"))[
        "total"
    ]
    limit = validators.max_award_bytes()
    if (kept or 0) + upload.size > limit:
        raise ValidationError(
            validators.MESSAGES["quota"],
            code="quota",
            params={"limit": f"{limit / (1024 * 1024):g}"},
        )


def record_attendance(allowance, *, attended, meeting_on, note="", by, request=None, now=None):
    """The operator records whether a training company attended the product demo meeting."""
    if allowance.kind != CategoryKind.TRAINING:
        raise ValidationError("only training awards attend the product demo meeting")
    now = now or timezone.now()
    with transaction.atomic():
        row = DemoAttendance.objects.create(
            award_id=allowance.award_id,
            attended=attended,
            meeting_on=meeting_on,
            note=note.strip(),
            recorded_by=by,
            recorded_at=now,
        )
        audit.record(
            "deliverables.demo_attendance",
            request=request,
            actor=by,
            obj=row,
            award=allowance.award_id,
            attended=attended,
            meeting_on=meeting_on,
            note=row.note,
        )
    return row
