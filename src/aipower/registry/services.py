"""Registry operations: look-ups in the current snapshot, the verdict for a company, the
applicant's company data pre-filled from the registry, and loading the demo fixture.
"""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.db import connection
from django.db.models import Q, Subquery
from django.utils import timezone, translation

from .eligibility import (
    CallRules,
    Declarations,
    Industry,
    ListMark,
    OperatorLists,
    RegistryRecord,
    Verdict,
    evaluate,
)
from .models import ListEntry, RecordedVerdict, Snapshot, TaxRecord

DEMO_FIXTURE = Path(__file__).resolve().parent.parent / "devtools" / "data" / "BGMOPEN1-demo.csv"


def current_snapshot() -> Snapshot | None:
    return Snapshot.objects.filter(is_current=True).first()


NAME_SEARCH_LIMIT = 50


def records_named(text: str, limit: int | None = None) -> list[TaxRecord]:
    """Rows of the current snapshot whose 營業人名稱 contains ``text``, by 統一編號, at most
    ``limit`` (+1, so the caller can say there are more). An unindexed scan of the snapshot
    (about a second for the national file): a staff search, not a hot path."""
    limit = limit or NAME_SEARCH_LIMIT
    current = Snapshot.objects.filter(is_current=True).order_by().values("pk")[:1]
    spelled = Q()
    for variant in name_variants(text):
        spelled |= Q(name__contains=variant)
    return list(
        TaxRecord.objects.filter(spelled, snapshot_id=Subquery(current))
        .order_by("ubn")
        .only("ubn", "name", "address", "head_office_ubn", "legal_form")[: limit + 1]
    )


# Half-width ASCII → full-width (the data set writes many names' Latin letters and digits
# full-width: 「ＡＢＣ科技」).
_FULL_WIDTH = {code: code + 0xFEE0 for code in range(0x21, 0x7F)}


def name_variants(text: str) -> list[str]:
    """``text`` as a registered name may spell it: 台 or 臺 (both are registered), Latin
    letters and digits half- or full-width."""
    half = unicodedata.normalize("NFKC", text)
    variants = []
    for form in (text, half, half.translate(_FULL_WIDTH)):
        for spelled in (form, form.replace("台", "臺"), form.replace("臺", "台")):
            if spelled not in variants:
                variants.append(spelled)
    return variants


def current_record(ubn: str) -> TaxRecord | None:
    """The company's row in the current snapshot, or None: one query, a primary-key look-up.

    The snapshot id comes from a sub-query so the planner searches the (snapshot, ubn) key
    instead of scanning every snapshot's rows for the number; no ORDER BY for the same reason.
    """
    current = Snapshot.objects.filter(is_current=True).order_by().values("pk")[:1]
    rows = list(
        TaxRecord.objects.filter(snapshot_id=Subquery(current), ubn=ubn)
        .select_related("snapshot")
        .order_by()[:1]
    )
    return rows[0] if rows else None


def to_registry_record(row: TaxRecord) -> RegistryRecord:
    return RegistryRecord(
        ubn=row.ubn,
        name=row.name,
        head_office_ubn=row.head_office_ubn,
        legal_form=row.legal_form,
        founded_on=row.founded_on,
        capital=row.capital,
        address=row.address,
        industries=tuple(Industry(code, name) for code, name in row.industries),
        main_listed=bool(row.industry_code),
        published_on=row.snapshot.published_on,
    )


# The verdict's look-up in plain SQL and one round trip: the ORM's query compilation alone would
# cost more than the 1 ms a look-up may take. The first branch is the company's row in the
# current snapshot (a search of the (snapshot, ubn) primary key), the second its list entries
# (ListEntry's ubn index), the third whether there is a current snapshot at all (so a number
# missing from it is told apart from a registry never imported).
_LOOKUP_SQL = f"""
SELECT 'r', t.name, t.head_office_ubn, t.legal_form, t.founded_on, t.capital, t.address,
       t.industry_code, t.industry_name, t.industry_code_1, t.industry_name_1,
       t.industry_code_2, t.industry_name_2, t.industry_code_3, t.industry_name_3,
       s.published_on, NULL, NULL, NULL
FROM {TaxRecord._meta.db_table} t JOIN {Snapshot._meta.db_table} s ON s.id = t.snapshot_id
WHERE t.snapshot_id = (SELECT id FROM {Snapshot._meta.db_table} WHERE is_current LIMIT 1)
  AND t.ubn = %s
UNION ALL
SELECT 'l', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       NULL, kind, reason, until
FROM {ListEntry._meta.db_table} WHERE ubn = %s
UNION ALL
SELECT 's', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       published_on, NULL, NULL, NULL
FROM {Snapshot._meta.db_table} WHERE is_current
"""  # noqa: S608 - table names from the models, the number is a parameter


def _as_date(value):
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(value)  # SQLite hands dates back as text


def lookup(ubn: str) -> tuple[RegistryRecord | None, OperatorLists]:
    """The company's registry record (current snapshot) and the operator's list entries."""
    record, lists, _loaded = lookup_with_state(ubn)
    return record, lists


def lookup_with_state(ubn: str) -> tuple[RegistryRecord | None, OperatorLists, bool]:
    """``lookup`` and whether a snapshot of the registry is in use at all."""
    record, lists, loaded, _published_on = _lookup(ubn)
    return record, lists, loaded


def _lookup(ubn: str):
    """``lookup_with_state`` and the current snapshot's publication date (or None)."""
    with connection.cursor() as cursor:
        cursor.execute(_LOOKUP_SQL, [ubn, ubn])
        rows = cursor.fetchall()
    record = None
    marks = []
    loaded = False
    published_on = None
    for row in rows:
        if row[0] == "s":
            loaded = True
            published_on = _as_date(row[15])
            continue
        if row[0] == "l":
            marks.append(ListMark(kind=row[16], reason=row[17], until=_as_date(row[18])))
            continue
        codes = row[7:15]
        record = RegistryRecord(
            ubn=ubn,
            name=row[1],
            head_office_ubn=row[2],
            legal_form=row[3],
            founded_on=_as_date(row[4]),
            capital=row[5],
            address=row[6],
            industries=tuple(Industry(codes[i], codes[i + 1]) for i in range(0, 8, 2) if codes[i]),
            main_listed=bool(codes[0]),
            published_on=_as_date(row[15]),
        )
    return record, OperatorLists(marks=tuple(marks)), loaded, published_on


def operator_lists(ubn: str) -> OperatorLists:
    return OperatorLists(
        marks=tuple(
            ListMark(kind=e.kind, reason=e.reason, until=e.until)
            for e in ListEntry.objects.filter(ubn=ubn)
        )
    )


def today() -> datetime.date:
    return timezone.localdate()


def verdict_for(ubn: str, call, declarations: Declarations | None = None, on=None) -> Verdict:
    """The eligibility verdict for ``ubn`` in ``call`` from the current snapshot and lists."""
    record, lists, loaded, published_on = _lookup(ubn)
    return evaluate(
        record,
        lists,
        declarations,
        CallRules.from_call(call, on or today()),
        registry_loaded=loaded,
        registry_published_on=published_on,
    )


def record_verdict(
    application, verdict: Verdict, *, at, sending=RecordedVerdict.Sending.SUBMITTED, version=None
) -> RecordedVerdict:
    """Keep ``verdict`` as the evidence of the pre-check when ``application`` was sent
    (``sending``: the first sending, or a re-sending after a supplement; ``version``: the
    application's version sent), its reasons rendered in both languages as they read then.
    Each sending keeps its own record: the earlier ones stay."""
    reasons = []
    for reason in verdict.reasons:
        with translation.override("zh-hant"):
            message_zh = str(reason.message)
        with translation.override("en"):
            message_en = str(reason.message)
        reasons.append(
            {
                "code": reason.code,
                "severity": reason.severity,
                "message_zh": message_zh,
                "message_en": message_en,
                "evidence": reason.evidence,
            }
        )
    return RecordedVerdict.objects.create(
        application=application,
        ubn=application.company.ubn,
        recorded_at=at,
        sending=sending,
        version=version,
        status=verdict.status,
        startup_priority=verdict.startup_priority,
        published_on=verdict.published_on,
        reasons=reasons,
    )


@dataclass(frozen=True)
class VerdictChange:
    """How the pre-check now differs from the one recorded when the application was sent."""

    recorded: RecordedVerdict  # the last sending's
    status_changed: bool
    data_changed: bool  # the verdict reads a data set published after the recorded one
    # Every sending's record, first sending first (more than one after a re-sending).
    history: tuple[RecordedVerdict, ...] = ()

    @property
    def changed(self) -> bool:
        return self.status_changed or self.data_changed

    @property
    def changed_between_sendings(self) -> bool:
        """An earlier sending's verdict differs from a later one's (result or data set)."""
        return any(
            (a.status, a.published_on) != (b.status, b.published_on)
            for a, b in zip(self.history, self.history[1:], strict=False)
        )


def verdict_change(application, verdict: Verdict | None) -> VerdictChange | None:
    """The last sending's recorded verdict of ``application`` compared with ``verdict`` (now),
    with every sending's record; None when nothing was recorded (sent before verdicts were
    kept) or nothing is compared."""
    history = tuple(
        RecordedVerdict.objects.filter(application=application).order_by("recorded_at", "id")
    )
    if not history or verdict is None:
        return None
    recorded = history[-1]
    return VerdictChange(
        recorded=recorded,
        status_changed=recorded.status != verdict.status,
        data_changed=recorded.published_on != verdict.published_on,
        history=history,
    )


@dataclass(frozen=True)
class CompanyProfile:
    """What the applicant sees of its company, from the registry where it exists."""

    ubn: str
    name: str
    address: str
    founded_on: datetime.date | None
    capital: int | None
    from_registry: bool
    published_on: datetime.date | None = None


def company_profile(ubn: str, fallback_name: str = "") -> CompanyProfile:
    row = current_record(ubn)
    if row is None:
        return CompanyProfile(ubn, fallback_name, "", None, None, from_registry=False)
    return CompanyProfile(
        ubn,
        row.name,
        row.address,
        row.founded_on,
        row.capital,
        from_registry=True,
        published_on=row.snapshot.published_on,
    )


def import_demo_registry():
    """Load the demo companies through the real importer (development and tests)."""
    from .importer import import_registry

    return import_registry(DEMO_FIXTURE)
