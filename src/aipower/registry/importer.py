"""Importing the national tax-registration data set (BGMOPEN1.csv, or a .zip holding it).

The file is streamed (a csv reader over a text wrapper over the byte stream), checked row by row
(``RowChecker``: table look-ups and caches) and written into ``registry_taxrecord_load``, a
table like the live one:

- PostgreSQL: one ``COPY … FROM STDIN (FORMAT csv)`` (psycopg 3), fed in batches written by the
  C csv writer; the primary key is kept up to date by the server during the load, in parallel;
- SQLite: ``executemany`` in large batches into the table without indexes; the indexes are built
  after the load, by sorting (``PRAGMA cache_size`` raised for the connection; the database is
  switched to WAL so readers are never blocked by the import).

Then the live table is dropped, the load table renamed in its place and ``is_current`` flipped,
all in the import's one transaction. So the old snapshot serves until the new one is complete,
a failure leaves nothing behind (the transaction is rolled back, the load table with it, and the
snapshot row is marked failed with the reason), and the replaced snapshot's rows go with the old
table instead of being deleted row by row.

Memory stays flat in the file size: rows are never held beyond one batch, and duplicates are
found with a fixed 12.5 MB bitmap over the 10^8 possible numbers.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import io
import os
import re
import time
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from aipower.core.roc import parse_roc_compact
from aipower.core.validators import UBN_WEIGHTS

from .enums import SnapshotStatus
from .models import Snapshot, TaxRecord

HEADER = [
    "營業地址",
    "統一編號",
    "總機構統一編號",
    "營業人名稱",
    "資本額",
    "設立日期",
    "組織別名稱",
    "使用統一發票",
    "行業代號",
    "名稱",
    "行業代號1",
    "名稱1",
    "行業代號2",
    "名稱2",
    "行業代號3",
    "名稱3",
]
COLUMN_COUNT = len(HEADER)
# Database columns in the order the loaders write them.
DB_COLUMNS = [
    "snapshot_id", "ubn", "head_office_ubn", "name", "address", "capital", "founded_on",
    "legal_form", "uses_uniform_invoice", "industry_code", "industry_name", "industry_code_1",
    "industry_name_1", "industry_code_2", "industry_name_2", "industry_code_3", "industry_name_3",
]  # fmt: skip
FIRST_RECORD_LINE = 3
SQLITE_BATCH_ROWS = 20_000
COPY_BATCH_ROWS = 5_000
REPORT_LIMIT = 1_000
PROGRESS_EVERY_ROWS = 25_000
# Text read at once from the byte stream (the decoder's chunk).
READ_CHUNK = 1 << 20


class RegistryImportError(Exception):
    """The file is refused: ``line`` (1-based physical line, or None) and ``reason``."""

    def __init__(self, reason: str, line: int | None = None):
        self.reason = reason
        self.line = line
        super().__init__(f"line {line}: {reason}" if line else reason)


class BadRow(Exception):
    """One record fails a check; caught by the importer, never escapes it."""


@dataclass
class ImportResult:
    snapshot: Snapshot
    rows: int
    skipped: int
    seconds: float
    skipped_by_reason: dict[str, int] = field(default_factory=dict)


@dataclass
class Progress:
    rows: int
    skipped: int
    bytes_read: int
    total_bytes: int
    elapsed: float


ProgressCallback = Callable[[Progress], None]


# --- checks -------------------------------------------------------------------------------------


# Checksum contributions of the first and the last four digits (products' digit sums), so a
# number is checked with two slices and two look-ups; anything but 8 ASCII digits misses.
def _partial_sums(weights):
    table = {}
    for i in range(10_000):
        digits = f"{i:04d}"
        table[digits] = sum(
            (int(d) * w) // 10 + (int(d) * w) % 10 for d, w in zip(digits, weights, strict=True)
        )
    return table


_UBN_HIGH = _partial_sums(UBN_WEIGHTS[:4])
_UBN_LOW = _partial_sums(UBN_WEIGHTS[4:])


def _ubn_ok(value: str) -> bool:
    """The 2023 rule, like ``core.validators.is_valid_ubn``, with look-up tables for speed."""
    try:
        total = _UBN_HIGH[value[:4]] + _UBN_LOW[value[4:]]
    except (KeyError, TypeError):
        return False
    return total % 5 == 0 or (value[6] == "7" and (total + 1) % 5 == 0)


def parse_publication_date(text: str) -> datetime.date:
    """The second line's date: ``10-APR-23`` (as published), or ROC ``1120410``, or ISO."""
    text = text.strip()
    for fmt in ("%d-%b-%y", "%d-%b-%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    value = parse_roc_compact(text)  # raises ValueError
    if value is None:
        raise ValueError("empty publication date")
    return value


_MISSING = object()


class RowChecker:
    """Turns one CSV record into a tuple of database values, or raises ``BadRow``.

    Values are text as both databases take them (dates ISO, capital digits, which SQLite's
    INTEGER affinity stores as integers); booleans are mapped per backend.
    """

    def __init__(self, true_value, false_value):
        self._invoice = {"Y": true_value, "N": false_value, "": None}
        self._dates: dict[str, str | None] = {"": None}
        self._codes: set[str] = {""}
        self._seen = bytearray(100_000_000 // 8)

    def date(self, text: str) -> str | None:
        try:
            return self._dates[text]
        except KeyError:
            pass
        try:
            value = parse_roc_compact(text)
        except ValueError:
            raise BadRow(f"設立日期 is not a valid ROC date yyyMMdd: {text!r}") from None
        if len(self._dates) < 100_000:
            self._dates[text] = value.isoformat()
        return value.isoformat()

    def code(self, text: str, column: str) -> str:
        if text in self._codes:
            return text
        if len(text) != 6 or not text.isascii() or not text.isdigit():
            raise BadRow(f"{column} is not a 6-digit industry code: {text!r}")
        self._codes.add(text)
        return text

    def check(self, row: list[str], snapshot_id: int) -> tuple:
        """One record; the fast path is a handful of dict and set look-ups."""
        try:
            (addr, ubn, head, name, capital, founded, form, invoice,
             c0, n0, c1, n1, c2, n2, c3, n3) = row  # fmt: skip
        except ValueError:
            raise BadRow(f"expected {COLUMN_COUNT} fields, found {len(row)}") from None
        try:
            total = _UBN_HIGH[ubn[:4]] + _UBN_LOW[ubn[4:]]
        except KeyError:
            total = 1
        if total % 5 and not (ubn[6] == "7" and (total + 1) % 5 == 0):
            raise BadRow(f"統一編號 is not valid (format or check digit): {ubn!r}")
        number = int(ubn)
        byte, bit = number >> 3, 1 << (number & 7)
        seen = self._seen
        if seen[byte] & bit:
            raise BadRow(f"統一編號 appears more than once: {ubn!r}")
        if head and (head == ubn or not _ubn_ok(head)):
            raise BadRow(f"總機構統一編號 is not valid: {head!r}")
        if not name or name.isspace():
            raise BadRow("營業人名稱 is empty")
        if capital and (len(capital) > 18 or not capital.isascii() or not capital.isdigit()):
            raise BadRow(f"資本額 is not a whole number: {capital!r}")
        flag = self._invoice.get(invoice, _MISSING)
        if flag is _MISSING:
            raise BadRow(f"使用統一發票 must be Y or N: {invoice!r}")
        codes = self._codes
        if not (c0 in codes and c1 in codes and c2 in codes and c3 in codes):
            self.code(c0, "行業代號")
            self.code(c1, "行業代號1")
            self.code(c2, "行業代號2")
            self.code(c3, "行業代號3")
        founded_on = self._dates.get(founded, _MISSING)
        if founded_on is _MISSING:
            founded_on = self.date(founded)
        seen[byte] |= bit  # only once the row is accepted
        return (snapshot_id, ubn, head, name, addr, capital or None, founded_on, form, flag,
                c0, n0, c1, n1, c2, n2, c3, n3)  # fmt: skip


# --- the source file ----------------------------------------------------------------------------


class Source:
    """The CSV bytes of a plain file or of the one CSV member of a .zip."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        if not self.path.is_file():
            raise RegistryImportError(f"no such file: {self.path}")
        self.is_zip = zipfile.is_zipfile(self.path)
        self.member = None
        if self.is_zip:
            with zipfile.ZipFile(self.path) as archive:
                members = [i for i in archive.infolist() if i.filename.lower().endswith(".csv")]
                if not members:
                    raise RegistryImportError("the .zip holds no .csv file")
                preferred = [i for i in members if i.filename.upper().endswith("BGMOPEN1.CSV")]
                if len(preferred) != 1 and len(members) != 1:
                    raise RegistryImportError("the .zip holds several .csv files")
                self.member = (preferred or members)[0]
                self.total_bytes = self.member.file_size
        else:
            self.total_bytes = self.path.stat().st_size

    @property
    def name(self) -> str:
        if self.member is not None:
            return f"{self.path.name}:{self.member.filename}"
        return self.path.name

    @contextlib.contextmanager
    def open(self) -> Iterator[io.BufferedIOBase]:
        """A binary stream of the CSV text."""
        if self.member is None:
            with open(self.path, "rb") as stream:
                yield stream
        else:
            with zipfile.ZipFile(self.path) as archive, archive.open(self.member) as stream:
                yield stream

    def ends_with_newline(self) -> bool | None:
        if self.member is not None:
            return None  # a zip member is checked by its CRC instead
        with open(self.path, "rb") as handle:
            handle.seek(0, os.SEEK_END)
            if handle.tell() == 0:
                return False
            handle.seek(-1, os.SEEK_END)
            return handle.read(1) == b"\n"

    def first_undecodable_line(self) -> int | None:
        """The physical line number of the first line that is not UTF-8 (failure path only)."""
        with self.open() as stream:
            for number, line in enumerate(stream, 1):
                try:
                    line.decode("utf-8")
                except UnicodeDecodeError:
                    return number
        return None


# --- loaders ------------------------------------------------------------------------------------
#
# Both loaders write the new snapshot into a separate table, registry_taxrecord_load, and swap it
# with the live one (DROP the old table, RENAME the new one) in the import's transaction:
# readers go on reading the old table until the commit, a failure anywhere rolls the new table
# away with everything else, and the replaced snapshot's rows go with the old table instead of
# being deleted one by one. The old table only ever holds the current snapshot's rows (older
# ones were deleted after each import before), so dropping it loses nothing. Where each loader
# builds the indexes differs, and is explained in its docstring.

TABLE = TaxRecord._meta.db_table
LOAD_TABLE = f"{TABLE}_load"
# The model's partial index (TaxRecord.Meta.indexes), built after the load (it is small).
BRANCH_INDEX = "registry_taxrecord_branch_idx"
BRANCH_INDEX_SQL = (
    'CREATE INDEX "{name}" ON "{table}" ("snapshot_id", "head_office_ubn") '
    "WHERE NOT (\"head_office_ubn\" = '')"
)


class SqliteLoader:
    """``executemany`` in batches of tuples into the load table, which has no index while it
    is filled; the (snapshot, 統一編號) key is built after the load."""

    true_value, false_value = 1, 0

    def __init__(self):
        self._batch: list[tuple] = []

    @staticmethod
    def prepare():
        """Per-connection tuning, outside any transaction (documented in bench/README.md)."""
        if connection.in_atomic_block:
            return  # called inside a transaction (tests): these cannot change there
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -65536")  # 64 MiB page cache (and sort memory)
            cursor.execute("PRAGMA journal_mode")
            mode = cursor.fetchone()[0]
            if mode not in ("wal", "memory"):
                # WAL lets readers go on reading the current snapshot during the import.
                cursor.execute("PRAGMA journal_mode = WAL")

    def start(self, snapshot_id: int):
        # The raw sqlite3 cursor: Django's wrapper would add per-call overhead (and logging
        # under DEBUG); the statements run inside Django's transaction all the same.
        self._cursor = connection.connection.cursor()
        self._cursor.execute(f'DROP TABLE IF EXISTS "{LOAD_TABLE}"')
        # The live table's own definition, renamed and without its PRIMARY KEY clause (a table
        # constraint SQLite cannot add later); the same (snapshot_id, ubn) key comes back as a
        # unique index after the load. SQLite stores both the same way (a rowid table and a
        # separate B-tree of the key), and a migration that rebuilds the table restores the
        # declared primary key from the model.
        ddl = self._cursor.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [TABLE]
        ).fetchone()[0]
        ddl = re.sub(r",\s*PRIMARY KEY\s*\([^)]*\)\s*\)\s*$", ")", ddl)
        ddl = ddl.replace(f'"{TABLE}"', f'"{LOAD_TABLE}"', 1)
        self._cursor.execute(ddl)
        self._sql = (
            f'INSERT INTO "{LOAD_TABLE}" ({", ".join(DB_COLUMNS)}) '  # noqa: S608
            f"VALUES ({', '.join('?' for _ in DB_COLUMNS)})"
        )

    def add(self, values: tuple):
        batch = self._batch
        batch.append(values)
        if len(batch) >= SQLITE_BATCH_ROWS:
            self._cursor.executemany(self._sql, batch)
            self._batch = []

    def finish(self):
        if self._batch:
            self._cursor.executemany(self._sql, self._batch)
            self._batch = []

    def swap(self):
        """Replace the live table (inside the import's transaction). With WAL, readers keep
        seeing the old table until the commit."""
        cursor = self._cursor
        cursor.execute(f'DROP TABLE "{TABLE}"')
        cursor.execute(f'ALTER TABLE "{LOAD_TABLE}" RENAME TO "{TABLE}"')
        # After the DROP, so the index names are free; built by sorting the loaded rows, which
        # on one CPU is cheaper than keeping the B-tree up to date row by row in random order.
        cursor.execute(
            f'CREATE UNIQUE INDEX IF NOT EXISTS "{TABLE}_pk" ON "{TABLE}" ("snapshot_id", "ubn")'
        )
        cursor.execute(BRANCH_INDEX_SQL.format(name=BRANCH_INDEX, table=TABLE))
        cursor.close()

    def abort(self):
        self._batch = []
        with contextlib.suppress(Exception):
            self._cursor.close()


class PostgresLoader:
    """``COPY … FROM STDIN (FORMAT csv)`` into the load table: batches written by the C csv
    writer.

    Here the primary key exists from the start: the server keeps it up to date in its own
    process, on the second CPU, while this one parses and checks (the bottleneck); building it
    after the load was measured slower, as that build then runs alone at the end. Empty
    unquoted fields are NULL in COPY's CSV format, so the text columns are listed in
    FORCE_NOT_NULL (empty → ''), while capital, founding date and invoice stay NULL when empty.
    """

    true_value, false_value = "t", "f"
    _text_columns = [
        f.column
        for f in TaxRecord._meta.concrete_fields
        if f.get_internal_type() == "CharField" and f.column in DB_COLUMNS
    ]

    def __init__(self):
        self._batch: list[tuple] = []
        self._buffer = io.StringIO()
        # "\r\n": the writer quotes a field holding any character of the line terminator, so
        # a lone carriage return in a field is quoted too (COPY would end the row there).
        self._writer = csv.writer(self._buffer, lineterminator="\r\n")

    @staticmethod
    def prepare():
        pass

    def start(self, snapshot_id: int):
        self._django_cursor = connection.cursor()
        cursor = self._django_cursor.cursor
        cursor.execute(f'DROP TABLE IF EXISTS "{LOAD_TABLE}"')
        # Same columns, types and NOT NULLs as the live table, and its primary key.
        cursor.execute(f'CREATE TABLE "{LOAD_TABLE}" (LIKE "{TABLE}" INCLUDING DEFAULTS)')
        cursor.execute(
            f'ALTER TABLE "{LOAD_TABLE}" ADD CONSTRAINT "{LOAD_TABLE}_pkey" '
            'PRIMARY KEY ("snapshot_id", "ubn")'
        )
        self._copy_cm = cursor.copy(
            f'COPY "{LOAD_TABLE}" ({", ".join(DB_COLUMNS)}) FROM STDIN '
            f"WITH (FORMAT csv, FORCE_NOT_NULL ({', '.join(self._text_columns)}))"
        )
        self._copy = self._copy_cm.__enter__()

    def add(self, values: tuple):
        batch = self._batch
        batch.append(values)
        if len(batch) >= COPY_BATCH_ROWS:
            self._flush()

    def _flush(self):
        buffer = self._buffer
        buffer.seek(0)
        buffer.truncate()
        self._writer.writerows(self._batch)
        self._copy.write(buffer.getvalue())
        self._batch = []

    def finish(self):
        if self._batch:
            self._flush()
        self._copy_cm.__exit__(None, None, None)
        cursor = self._django_cursor.cursor
        # The partial index (small) from the loaded rows; fresh planner statistics for the new
        # table (ANALYZE reads a sample: quick).
        cursor.execute(BRANCH_INDEX_SQL.format(name=f"{LOAD_TABLE}_branch", table=LOAD_TABLE))
        cursor.execute(f'ANALYZE "{LOAD_TABLE}"')

    def swap(self):
        """Replace the live table: readers wait only for this short end of the transaction."""
        cursor = self._django_cursor.cursor
        cursor.execute(f'LOCK TABLE "{TABLE}" IN ACCESS EXCLUSIVE MODE')
        cursor.execute(f'DROP TABLE "{TABLE}"')
        cursor.execute(f'ALTER TABLE "{LOAD_TABLE}" RENAME TO "{TABLE}"')
        # The names Django gave them (the primary key's is PostgreSQL's default).
        cursor.execute(
            f'ALTER TABLE "{TABLE}" RENAME CONSTRAINT "{LOAD_TABLE}_pkey" TO "{TABLE}_pkey"'
        )
        cursor.execute(f'ALTER INDEX "{LOAD_TABLE}_branch" RENAME TO "{BRANCH_INDEX}"')
        self._django_cursor.close()

    def abort(self):
        # The transaction is rolled back anyway (the load table with it); COPY only has to end.
        with contextlib.suppress(Exception):
            self._copy_cm.__exit__(RuntimeError, RuntimeError("import aborted"), None)
        self._django_cursor.close()


def _loader():
    if connection.vendor == "postgresql":
        return PostgresLoader()
    if connection.vendor == "sqlite":
        return SqliteLoader()
    raise RegistryImportError(f"unsupported database: {connection.vendor}")


# --- the import ---------------------------------------------------------------------------------


def purge_stale_snapshots() -> int:
    """Mark interrupted imports failed and delete rows of every snapshot that is not current."""
    Snapshot.objects.filter(status=SnapshotStatus.IMPORTING).update(
        status=SnapshotStatus.FAILED, error="interrupted"
    )
    stale = list(Snapshot.objects.filter(is_current=False).values_list("pk", flat=True))
    deleted = 0
    with connection.cursor() as cursor:
        for snapshot_id in stale:
            cursor.execute(
                f"DELETE FROM {TaxRecord._meta.db_table} WHERE snapshot_id = %s",  # noqa: S608
                [snapshot_id],
            )
            deleted += max(cursor.rowcount, 0)
    return deleted


def _records(reader, source: Source, stream) -> Iterator[list[str]]:
    """CSV records with decoding, CSV and archive errors turned into refusals with a line."""
    try:
        yield from reader
    except UnicodeDecodeError:
        line = source.first_undecodable_line() or reader.line_num + 1
        raise RegistryImportError("the file is not UTF-8 text (wrong encoding)", line) from None
    except csv.Error as exc:
        raise RegistryImportError(f"malformed CSV: {exc}", reader.line_num) from None
    except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
        raise RegistryImportError(
            f"the archive is damaged or truncated: {exc}", reader.line_num
        ) from None


def import_registry(
    path: str | os.PathLike,
    *,
    skip_bad_rows: bool = False,
    allow_older: bool = False,
    progress: ProgressCallback | None = None,
) -> ImportResult:
    """Import ``path`` as the new current snapshot; raise ``RegistryImportError`` if refused."""
    started = time.monotonic()
    source = Source(path)
    purge_stale_snapshots()
    loader = _loader()
    loader.prepare()
    snapshot = Snapshot.objects.create(source_name=source.name[:255])
    checker = RowChecker(loader.true_value, loader.false_value)
    checker = RowChecker(loader.true_value, loader.false_value)
    skipped: list[dict] = []
    reasons: Counter[str] = Counter()
    rows = 0
    try:
        with source.open() as stream:
            text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
            text._CHUNK_SIZE = READ_CHUNK
            reader = csv.reader(text, strict=True)
            records = _records(reader, source, stream)
            header = next(records, None)
            if header is None:
                raise RegistryImportError("the file is empty", 1)
            if [h.strip() for h in header] != HEADER:
                raise RegistryImportError(
                    f"the header is not the 16 columns of BGMOPEN1.csv: {','.join(header)[:200]}",
                    1,
                )
            dateline = next(records, None)
            if dateline is None:
                raise RegistryImportError("the publication-date line is missing", 2)
            try:
                if any(v.strip() for v in dateline[1:]):
                    raise ValueError("a record, not the publication date")
                published_on = parse_publication_date(dateline[0])
            except (ValueError, IndexError) as exc:
                raise RegistryImportError(
                    f"the second line must be the publication date (e.g. 10-APR-23): {exc}", 2
                ) from None
            current = Snapshot.objects.filter(is_current=True).first()
            if (
                not allow_older
                and current is not None
                and current.published_on is not None
                and published_on < current.published_on
            ):
                raise RegistryImportError(
                    f"the file was published on {published_on}, before the current data "
                    f"({current.published_on}); use --allow-older to import it anyway",
                    2,
                )

            with transaction.atomic():
                loader.start(snapshot.pk)
                try:
                    check = checker.check
                    add = loader.add
                    snapshot_id = snapshot.pk
                    next_progress = PROGRESS_EVERY_ROWS
                    for record in records:
                        try:
                            values = check(record, snapshot_id)
                        except BadRow as bad:
                            if not skip_bad_rows:
                                raise RegistryImportError(str(bad), reader.line_num) from None
                            reasons[str(bad).split(":")[0]] += 1
                            if len(skipped) < REPORT_LIMIT:
                                skipped.append({"line": reader.line_num, "reason": str(bad)})
                            continue
                        add(values)
                        rows += 1
                        if progress is not None and rows >= next_progress:
                            next_progress += PROGRESS_EVERY_ROWS
                            progress(
                                Progress(
                                    rows,
                                    sum(reasons.values()),
                                    stream.tell(),
                                    source.total_bytes,
                                    time.monotonic() - started,
                                )
                            )
                    if source.ends_with_newline() is False and not skip_bad_rows:
                        raise RegistryImportError(
                            "the file ends in the middle of a line (truncated)", reader.line_num
                        )
                    if rows == 0:
                        raise RegistryImportError("the file holds no valid records")
                    loader.finish()
                    loader.swap()
                except BaseException:
                    loader.abort()
                    raise
                _flip(snapshot, published_on, rows, sum(reasons.values()), skipped)
    except BaseException as exc:
        Snapshot.objects.filter(pk=snapshot.pk).update(
            status=SnapshotStatus.FAILED, error=str(exc)[:2000] or exc.__class__.__name__
        )
        raise
    finally:
        del checker  # free the 12.5 MB bitmap before deleting old rows
    purge_stale_snapshots()
    if progress is not None:
        progress(
            Progress(
                rows,
                sum(reasons.values()),
                source.total_bytes,
                source.total_bytes,
                time.monotonic() - started,
            )
        )
    snapshot.refresh_from_db()
    return ImportResult(
        snapshot=snapshot,
        rows=rows,
        skipped=sum(reasons.values()),
        seconds=time.monotonic() - started,
        skipped_by_reason=dict(reasons),
    )


def _flip(snapshot, published_on, rows, skipped_count, skipped):
    """Make ``snapshot`` the current one (inside the load's transaction)."""
    Snapshot.objects.filter(is_current=True).exclude(pk=snapshot.pk).update(
        is_current=False, status=SnapshotStatus.SUPERSEDED
    )
    Snapshot.objects.filter(pk=snapshot.pk).update(
        is_current=True,
        status=SnapshotStatus.CURRENT,
        published_on=published_on,
        row_count=rows,
        skipped_count=skipped_count,
        report=skipped,
        imported_at=timezone.now(),
    )
