"""Writing a programme year's seed data (``aipower.calls.seeds.year<NNN>``) to the database.

``seed_call(115)`` creates or updates the call, its categories, batches, criteria, tiers, model
catalogue, texts and announcements by their natural keys, in one transaction. It is idempotent:
a second run finds every row already equal and changes nothing. Running it again after the
operator edited a seeded row in the admin puts the document's value back; rows the operator
added (another model, another announcement) are left alone.

A year not in the database yet is inserted model by model (``_Inserts``: about ten statements)
rather than looked up and inserted row by row (144 statements): the tests seed a call for most
of their cases, and that was a quarter of the suite's time.
"""

import importlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction

from .models import (
    Announcement,
    Batch,
    Call,
    CatalogueModel,
    Category,
    Criterion,
    FormNote,
    Text,
    Tier,
)

CREATED = "created"
UPDATED = "updated"
UNCHANGED = "unchanged"


@dataclass
class SeedReport:
    """What a seeding run did: one ``(outcome, label)`` per row it looked at."""

    call: Call | None = None
    rows: list[tuple[str, str]] = field(default_factory=list)

    def count(self, outcome):
        return sum(1 for row_outcome, _ in self.rows if row_outcome == outcome)

    @property
    def created(self):
        return self.count(CREATED)

    @property
    def updated(self):
        return self.count(UPDATED)

    @property
    def unchanged(self):
        return self.count(UNCHANGED)


def seed_data(year):
    """The data module of a programme year; ``ValueError`` when there is none."""
    try:
        return importlib.import_module(f"aipower.calls.seeds.year{int(year)}")
    except ModuleNotFoundError as exc:
        raise ValueError(f"no seed data for programme year {year}") from exc


def _short(value):
    """A short name of a lookup value for the report: the year of a call, the kind of a
    category, the value itself otherwise."""
    if isinstance(value, Call):
        return str(value.year)
    if isinstance(value, Category):
        return f"{value.call.year} {value.kind}"
    return str(value)


def _label(model, lookup):
    return f"{model._meta.model_name} {' '.join(_short(v) for v in lookup.values())}"


class _Inserts:
    """A year's rows when its call is not in the database yet: each built as its ``save()``
    would write it and reported as created, then inserted one statement per model, parents
    first (``bulk_create`` takes a parent's new key from the object the child points to)."""

    ORDER = (Call, Category, Batch, Criterion, Tier, CatalogueModel, Text, FormNote, Announcement)

    def __init__(self):
        self.pending = defaultdict(list)

    def __call__(self, report, model, lookup, values):
        obj = model(**lookup, **values)
        if model is Batch:
            obj.apply_default_cutoff()  # a new row: no query
        if model is CatalogueModel:
            obj.withhold_if_blocked()
        self.pending[model].append(obj)
        report.rows.append((CREATED, _label(model, lookup)))
        return obj

    def insert(self):
        for model in self.ORDER:
            model.objects.bulk_create(self.pending.pop(model, []))
        assert not self.pending, f"no insertion order for {list(self.pending)}"


def _upsert(report, model, lookup, values):
    """Create the row with ``lookup`` or bring its fields to ``values``; saves only on change."""
    label = _label(model, lookup)
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        report.rows.append((CREATED, label))
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
        report.rows.append((UPDATED, f"{label} ({', '.join(changed)})"))
    else:
        report.rows.append((UNCHANGED, label))
    return obj


def seed(year=115) -> SeedReport:
    """Seed programme ``year`` and report what was created, updated or already right."""
    data = seed_data(year)
    report = SeedReport()
    with transaction.atomic():
        inserts = None if Call.objects.filter(year=data.YEAR).exists() else _Inserts()
        _write(report, data, inserts or _upsert)
        if inserts:
            inserts.insert()
    return report


def _write(report, data, write):
    """Every row of the year's ``data`` through ``write(report, model, lookup, values)``."""
    call = write(report, Call, {"year": data.YEAR}, dict(data.CALL))
    report.call = call
    for entry in data.CATEGORIES:
        values = {k: v for k, v in entry.items() if k not in ("kind", "batches", "criteria")}
        category = write(report, Category, {"call": call, "kind": entry["kind"]}, values)
        for batch in entry["batches"]:
            write(
                report,
                Batch,
                {"category": category, "number": batch["number"]},
                {"review_date": batch["review_date"], "cutoff_at": batch["cutoff_at"]},
            )
        for order, criterion in enumerate(entry["criteria"], start=1):
            values = {k: v for k, v in criterion.items() if k != "key"}
            values["order"] = order
            write(report, Criterion, {"category": category, "key": criterion["key"]}, values)
    for tier in data.TIERS:
        values = {k: v for k, v in tier.items() if k != "code"}
        write(report, Tier, {"call": call, "code": tier["code"]}, values)
    for model in data.MODELS:
        values = {k: v for k, v in model.items() if k != "display_name"}
        write(
            report,
            CatalogueModel,
            {"call": call, "display_name": model["display_name"]},
            values,
        )
    for text in data.TEXTS:
        values = {k: v for k, v in text.items() if k != "key"}
        write(report, Text, {"call": call, "key": text["key"]}, values)
    for note in getattr(data, "FORM_NOTES", ()):
        values = {k: v for k, v in note.items() if k not in ("page", "section")}
        write(
            report,
            FormNote,
            {"call": call, "page": note["page"], "section": note["section"]},
            values,
        )
    for announcement in data.ANNOUNCEMENTS:
        values = {k: v for k, v in announcement.items() if k != "title_zh"}
        write(
            report,
            Announcement,
            {"call": call, "title_zh": announcement["title_zh"]},
            values,
        )


def seed_call(year=115) -> Call:
    """Create or update programme ``year``'s call from its seed data and return it."""
    return seed(year).call
