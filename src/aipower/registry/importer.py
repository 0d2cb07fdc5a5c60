"""Importing the national tax-registration data set (BGMOPEN1.csv, or a .zip holding it).

Every record passes the same checks whichever way it travels (``RowChecker``: the 統一編號 check
digit by the 2023 rule, a duplicate bitmap, ROC dates, 6-digit codes, capital, Y/N), and the
new snapshot always goes into a separate load table that replaces the live one at the end, in
the import's one transaction. So the old snapshot serves until the new one is complete, and a
failure leaves nothing behind (the snapshot row is marked failed with the reason).

Two ways in:

- PostgreSQL, files of 4 MB and more (``_PostgresFastImport``): the header and the
  publication-date line are read in Python; the rest of the file's bytes go unparsed through
  ``COPY … (FORMAT csv)`` into a staging table of 16 text columns, in record-aligned chunks, on
  two connections of their own, so that two server processes work; one statement per chunk
  checks and converts every record in SQL (``_PG_OK`` mirrors RowChecker), inserts those that
  pass into the load table and returns the others, which RowChecker then judges (the reason,
  and the physical line). The key is built after the load (a duplicate number makes it fail).
  Whatever SQL cannot decide as Python would — a COPY error (wrong field count, bad encoding),
  quoting that PostgreSQL reads differently from Python's csv module, a duplicate, a record
  the SQL checks set aside but RowChecker accepts — sends the import down the exact path.
- The exact path (SQLite, small files, and the fallback): Python's csv module parses,
  RowChecker checks and converts in place, and the loader writes batches: ``executemany``
  into an index-less load table on SQLite (the key is built after the load), one
  ``COPY … FROM STDIN`` fed by the C csv writer on PostgreSQL.

Memory stays flat in the file size: records are never held beyond a batch or a chunk, and
duplicates are found with a fixed 12.5 MB bitmap over the 10^8 possible numbers (or, on the
fast path, by the key).
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import functools
import gc
import io
import itertools
import os
import queue
import re
import threading
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
# Database columns in the file's column order (the loaders add the snapshot).
FILE_COLUMNS = [
    "address", "ubn", "head_office_ubn", "name", "capital", "founded_on", "legal_form",
    "uses_uniform_invoice", "industry_code", "industry_name", "industry_code_1",
    "industry_name_1", "industry_code_2", "industry_name_2", "industry_code_3", "industry_name_3",
]  # fmt: skip
FIRST_RECORD_LINE = 3
SQLITE_BATCH_ROWS = 20_000
COPY_BATCH_ROWS = 5_000
REPORT_LIMIT = 1_000
PROGRESS_EVERY_ROWS = 25_000
# Text read at once from the byte stream (the decoder's chunk).
READ_CHUNK = 1 << 20
# PostgreSQL fast path: bytes per COPY (cut at a record boundary) and connections loading.
PG_CHUNK_BYTES = 8 << 20
PG_WORKERS = 2
# Records the SQL checks may set aside in all before the exact path takes over (they are held
# until the end, to be judged in the file's order): keeps memory bounded for a file of mostly
# bad records.
PG_SET_ASIDE_LIMIT = 50_000
# Smaller files take the exact path: the fast path's set-up (two connections) costs ~0.3 s.
PG_FAST_MIN_BYTES = 4 << 20


class RegistryImportError(Exception):
    """The file is refused: ``line`` (1-based physical line, or None) and ``reason``."""

    def __init__(self, reason: str, line: int | None = None):
        self.reason = reason
        self.line = line
        super().__init__(f"line {line}: {reason}" if line else reason)


class BadRow(Exception):
    """One record fails a check; caught by the importer, never escapes it."""


class _UseExactPath(Exception):
    """The PostgreSQL fast path cannot decide this file exactly as Python would."""


@dataclass
class ImportResult:
    snapshot: Snapshot
    rows: int
    skipped: int
    seconds: float
    skipped_by_reason: dict[str, int] = field(default_factory=dict)
    # "copy-sql" (PostgreSQL fast path) or "python" (the exact path).
    path: str = ""


@dataclass
class Progress:
    rows: int
    skipped: int
    bytes_read: int
    total_bytes: int
    elapsed: float

    @property
    def fraction(self) -> float:
        """How much of the file is read (0 to 1)."""
        return min(self.bytes_read / self.total_bytes, 1.0) if self.total_bytes else 0.0

    @property
    def rate(self) -> float:
        """Records a second so far (0 before any time has passed)."""
        return self.rows / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def seconds_left(self) -> float | None:
        """At the rate so far; None before anything is read."""
        fraction = self.fraction
        return self.elapsed * (1 - fraction) / fraction if fraction > 0 else None


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
    """Checks one CSV record and converts it in place, or raises ``BadRow``.

    The record keeps the file's column order; capital (digits, or None), the founding date (ISO,
    or None) and the invoice flag (per backend) are converted: values as both databases take
    them (SQLite's INTEGER affinity stores the capital's digits as an integer).
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

    def check(self, row: list[str]) -> list:
        """One record; the fast path is a handful of dict and set look-ups."""
        try:
            (_addr, ubn, head, name, capital, founded, _form, invoice,
             c0, _n0, c1, _n1, c2, _n2, c3, _n3) = row  # fmt: skip
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
        row[4] = capital or None
        row[5] = founded_on
        row[7] = flag
        return row


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


def _records(reader, source: Source) -> Iterator[list[str]]:
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


@dataclass
class _Tally:
    """What the checking loop found: accepted rows, skipped ones (capped) by reason."""

    rows: int = 0
    skipped: list[dict] = field(default_factory=list)
    reasons: Counter = field(default_factory=Counter)

    @property
    def skipped_count(self) -> int:
        return sum(self.reasons.values())

    def skip(self, line: int | None, reason: str):
        self.reasons[reason.split(":")[0]] += 1
        if len(self.skipped) < REPORT_LIMIT:
            self.skipped.append({"line": line, "reason": reason})


def _checked_batches(
    records, reader, source: Source, checker: RowChecker, tally: _Tally, skip_bad_rows, size
) -> Iterator[list[list]]:
    """The exact path's loop: checked, converted records in batches of ``size``; bad ones
    refused (``RegistryImportError`` with the line) or, with ``skip_bad_rows``, tallied."""
    check = checker.check
    batch: list[list] = []
    append = batch.append
    for record in records:
        try:
            append(check(record))
        except BadRow as bad:
            if not record:
                continue  # a blank line (e.g. at the end of the file) holds no record
            if not skip_bad_rows:
                raise RegistryImportError(str(bad), reader.line_num) from None
            tally.skip(reader.line_num, str(bad))
            continue
        if len(batch) >= size:
            tally.rows += len(batch)
            yield batch
            batch = []
            append = batch.append
    if batch:
        tally.rows += len(batch)
        yield batch
    if source.ends_with_newline() is False and not skip_bad_rows:
        raise RegistryImportError(
            "the file ends in the middle of a line (truncated)", reader.line_num
        )
    if tally.rows == 0:
        raise RegistryImportError("the file holds no valid records")


@contextlib.contextmanager
def _no_gc():
    """The loops allocate millions of short-lived lists and no cycles: the cyclic collector
    would only rescan them (it cost a third of the parse time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# --- loaders ------------------------------------------------------------------------------------
#
# Every path writes the new snapshot into a separate table and swaps it with the live one (DROP
# the old table, RENAME the new one) in the import's transaction: readers go on reading the old
# table until the commit, a failure anywhere rolls the new table away with everything else, and
# the replaced snapshot's rows go with the old table instead of being deleted one by one. The
# old table only ever holds the current snapshot's rows, so dropping it loses nothing.

TABLE = TaxRecord._meta.db_table
LOAD_TABLE = f"{TABLE}_load"
# The model's partial index (TaxRecord.Meta.indexes), built after the load (it is small).
BRANCH_INDEX = "registry_taxrecord_branch_idx"
BRANCH_INDEX_SQL = (
    'CREATE INDEX "{name}" ON "{table}" ("snapshot_id", "head_office_ubn") '
    "WHERE NOT (\"head_office_ubn\" = '')"
)


class SqliteLoader:
    """``executemany`` in batches into the load table, which has no index while it is filled;
    the (snapshot, 統一編號) key is built after the load."""

    true_value, false_value = 1, 0

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
            f'INSERT INTO "{LOAD_TABLE}" (snapshot_id, {", ".join(FILE_COLUMNS)}) '  # noqa: S608
            f"VALUES ({int(snapshot_id)}, {', '.join('?' for _ in FILE_COLUMNS)})"
        )

    def add_batch(self, rows: list):
        self._cursor.executemany(self._sql, rows)

    def finish(self):
        pass

    def swap(self):
        """Replace the live table (inside the import's transaction). With WAL, readers keep
        seeing the old table until the commit."""
        cursor = self._cursor
        cursor.execute(f'DROP TABLE "{TABLE}"')
        cursor.execute(f'ALTER TABLE "{LOAD_TABLE}" RENAME TO "{TABLE}"')
        # After the DROP, so the index names are free; built by sorting the loaded rows, which
        # is cheaper than keeping a B-tree up to date row by row in random order.
        cursor.execute(
            f'CREATE UNIQUE INDEX IF NOT EXISTS "{TABLE}_pk" ON "{TABLE}" ("snapshot_id", "ubn")'
        )
        cursor.execute(BRANCH_INDEX_SQL.format(name=BRANCH_INDEX, table=TABLE))
        cursor.close()

    def abort(self):
        with contextlib.suppress(Exception):
            self._cursor.close()


def _text_columns():
    return [
        f.column
        for f in TaxRecord._meta.local_concrete_fields
        if f.get_internal_type() == "CharField"
    ]


class PostgresLoader:
    """The exact path on PostgreSQL: ``COPY … FROM STDIN (FORMAT csv)`` into the load table,
    fed in batches written by the C csv writer.

    The load table's snapshot column gets the snapshot as its default for the load (so the
    records travel in the file's order, as checked), and loses it at the swap. Empty unquoted
    fields are NULL in COPY's CSV format, so the text columns are listed in FORCE_NOT_NULL
    (empty → ''), while capital, founding date and invoice stay NULL when empty.
    """

    true_value, false_value = "t", "f"

    def __init__(self):
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
            f'ALTER TABLE "{LOAD_TABLE}" ALTER COLUMN snapshot_id SET DEFAULT {int(snapshot_id)}'
        )
        cursor.execute(
            f'ALTER TABLE "{LOAD_TABLE}" ADD CONSTRAINT "{LOAD_TABLE}_pkey" '
            'PRIMARY KEY ("snapshot_id", "ubn")'
        )
        self._copy_cm = cursor.copy(
            f'COPY "{LOAD_TABLE}" ({", ".join(FILE_COLUMNS)}) FROM STDIN '
            f"WITH (FORMAT csv, FORCE_NOT_NULL ({', '.join(_text_columns())}))"
        )
        self._copy = self._copy_cm.__enter__()

    def add_batch(self, rows: list):
        buffer = self._buffer
        buffer.seek(0)
        buffer.truncate()
        self._writer.writerows(rows)
        self._copy.write(buffer.getvalue())

    def finish(self):
        self._copy_cm.__exit__(None, None, None)
        cursor = self._django_cursor.cursor
        cursor.execute(f'ALTER TABLE "{LOAD_TABLE}" ALTER COLUMN snapshot_id DROP DEFAULT')
        # The partial index (small) from the loaded rows; fresh planner statistics for the new
        # table (ANALYZE reads a sample: quick).
        cursor.execute(BRANCH_INDEX_SQL.format(name=f"{LOAD_TABLE}_branch", table=LOAD_TABLE))
        cursor.execute(f'ANALYZE "{LOAD_TABLE}"')

    def swap(self):
        """Replace the live table: readers wait only for this short end of the transaction."""
        _pg_swap(self._django_cursor.cursor, LOAD_TABLE)
        self._django_cursor.close()

    def abort(self):
        # The transaction is rolled back anyway (the load table with it); COPY only has to end.
        with contextlib.suppress(Exception):
            self._copy_cm.__exit__(RuntimeError, RuntimeError("import aborted"), None)
        self._django_cursor.close()


def _pg_swap(cursor, load_table: str):
    """DROP the live table, RENAME ``load_table`` in its place, with Django's names for the
    key and the partial index (inside the import's transaction)."""
    cursor.execute(f'LOCK TABLE "{TABLE}" IN ACCESS EXCLUSIVE MODE')
    cursor.execute(f'DROP TABLE "{TABLE}"')
    cursor.execute(f'ALTER TABLE "{load_table}" RENAME TO "{TABLE}"')
    cursor.execute(f'ALTER TABLE "{TABLE}" RENAME CONSTRAINT "{load_table}_pkey" TO "{TABLE}_pkey"')
    cursor.execute(f'ALTER INDEX "{load_table}_branch" RENAME TO "{BRANCH_INDEX}"')


# --- PostgreSQL: the bytes through COPY, the checks in SQL --------------------------------------


# Every character for which Python's str.isspace() is true: a name made only of these is
# "empty" to RowChecker, so the SQL check trims exactly these.
_PY_WHITESPACE = "".join(
    map(chr, [*range(0x09, 0x0E), *range(0x1C, 0x21), 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B),
              0x2028, 0x2029, 0x202F, 0x205F, 0x3000])
)  # fmt: skip
_STAGE_COLUMNS = ["addr", "ubn", "head", "name", "capital", "founded", "form", "invoice",
                  "c0", "n0", "c1", "n1", "c2", "n2", "c3", "n3"]  # fmt: skip
_PG_SESSION = [
    "SET jit = off",  # compiling the checks for each chunk costs more than it saves
    "SET enable_nestloop = off",  # the staging table has no statistics: hash joins always
    # The load table's rows are made durable by the swap's commit, which flushes the WAL.
    "SET synchronous_commit = off",
    "SET temp_buffers = '64MB'",  # a staging chunk stays in memory
    "SET maintenance_work_mem = '256MB'",  # the key's sort
    "SET work_mem = '256MB'",  # a chunk's checked records stay in memory
    f"CREATE TEMP TABLE stage (ord bigint GENERATED BY DEFAULT AS IDENTITY, "
    f"{', '.join(f'{c} text' for c in _STAGE_COLUMNS)})",
    # Valid ROC dates as the file writes them (filled from _roc_dates()).
    "CREATE TEMP TABLE roc (k text PRIMARY KEY, d date)",
]
_PG_COPY_STAGE = (
    f"COPY stage ({', '.join(_STAGE_COLUMNS)}) FROM STDIN "
    f"WITH (FORMAT csv, ENCODING 'UTF8', FORCE_NOT_NULL ({', '.join(_STAGE_COLUMNS)}))"
)


def _pg_ubn_ok(column: str) -> str:
    """SQL: the 2023 check-digit rule on ``column``, known to hold 8 ASCII digits, through
    the residues (mod 5) of the first and of the last four digits' contributions, looked up
    in two 10,000-element arrays (the parameters ``high`` and ``low``)."""
    number = f"{column}::int"
    total = (
        f"((%(high)s::int[])[{number} / 10000 + 1] + (%(low)s::int[])[mod({number}, 10000) + 1])"
    )
    return f"(mod({total}, 5) = 0 OR (mod({number} / 10, 10) = 7 AND mod({total} + 1, 5) = 0))"


def _pg_params(snapshot_id: int) -> dict:
    return {
        "snapshot": snapshot_id,
        "ws": _PY_WHITESPACE,
        "ws_codes": [0, *map(ord, _PY_WHITESPACE)],
        "high": [_UBN_HIGH[f"{i:04d}"] % 5 for i in range(10_000)],
        "low": [_UBN_LOW[f"{i:04d}"] % 5 for i in range(10_000)],
    }


# True exactly when RowChecker accepts the record with the values converted below (except the
# duplicate check, which the key does): every part mirrors one RowChecker check. The digit
# fields are checked at once (one regular expression over their concatenation), and the check
# digits only then (a CASE fixes the order). Records for which it is not true go back to
# RowChecker.
_PG_OK = f"""
    CASE WHEN (s.ubn || s.head || s.capital || s.c0 || s.c1 || s.c2 || s.c3) ~ '^[0-9]*$'
        AND octet_length(s.ubn) = 8 AND octet_length(s.head) IN (0, 8)
        AND octet_length(s.capital) <= 18
        AND octet_length(s.c0) IN (0, 6) AND octet_length(s.c1) IN (0, 6)
        AND octet_length(s.c2) IN (0, 6) AND octet_length(s.c3) IN (0, 6)
    THEN {_pg_ubn_ok("s.ubn")}
        AND (s.head = '' OR (s.head <> s.ubn AND {_pg_ubn_ok("s.head")}))
    ELSE false END
    AND (ascii(s.name) <> ALL (%(ws_codes)s) OR btrim(s.name, %(ws)s) <> '')
    AND s.invoice IN ('Y', 'N', '')
    AND (s.founded = '' OR r.d IS NOT NULL)
"""


def _pg_chunk_sql(load_table: str) -> str:
    """One statement per chunk: check every staged record once (a materialized CTE), insert
    those that pass into the load table, return the others (with their ordinal)."""
    return f"""
        WITH c AS MATERIALIZED (
            SELECT s.*, r.d AS founded_on, ({_PG_OK}) AS ok
            FROM (SELECT * FROM stage OFFSET 0) AS s LEFT JOIN roc AS r ON r.k = s.founded
        ), loaded AS (
            INSERT INTO "{load_table}" (snapshot_id, {", ".join(FILE_COLUMNS)})
            SELECT %(snapshot)s, addr, ubn, head, name, nullif(capital, '')::bigint,
                founded_on, form, CASE invoice WHEN 'Y' THEN true WHEN 'N' THEN false END,
                c0, n0, c1, n1, c2, n2, c3, n3
            FROM c WHERE ok
        )
        SELECT ord, {", ".join(_STAGE_COLUMNS)} FROM c WHERE NOT ok ORDER BY ord
    """  # noqa: S608


@functools.cache
def _roc_dates() -> bytes:
    """COPY text of (ROC text, ISO date) for every day of 民國 1-150 (1912-2061) as yyyMMdd,
    and of 民國 1-99 as yyMMdd (RowChecker reads both). Dates outside are set aside, and
    RowChecker, accepting them, sends the file down the exact path."""
    day, end = datetime.date(1912, 1, 1), datetime.date(2062, 1, 1)
    one = datetime.timedelta(days=1)
    lines = []
    while day < end:
        roc, iso = day.year - 1911, day.isoformat()
        lines.append(f"{roc:03d}{day.month:02d}{day.day:02d}\t{iso}\n")
        if roc < 100:
            lines.append(f"{roc:02d}{day.month:02d}{day.day:02d}\t{iso}\n")
        day += one
    return "".join(lines).encode()


@dataclass
class _Chunk:
    index: int
    data: bytes
    first_line: int  # physical line of its first record
    breaks: int  # physical line breaks in it (\r\n, \n or a lone \r, as Python counts lines)
    final: bool = False
    rows: int = 0
    set_aside: list = field(default_factory=list)


def _quote_state(data: bytes, size: int) -> int:
    """Walk the quotes of ``data[:size]`` (whole records from a record start): -1 if every quoted
    field is closed, else the offset of the open one's quote. ``_UseExactPath`` where a quote
    is not where PostgreSQL's and Python's CSV readers agree on it: only at a field's start,
    doubled inside, and closing right before a delimiter or a line end."""

    def find(quote, start=0):
        return data.find(quote, start, size)

    position = find(b'"')
    while position != -1:
        if position and data[position - 1] not in b",\r\n":
            raise _UseExactPath("a quote inside an unquoted field")
        opened = position
        while True:
            position = find(b'"', position + 1)
            if position == -1:
                return opened
            if position + 1 < size and data[position + 1] == 0x22:  # "" inside quotes
                position += 1
                continue
            break
        if position + 1 < size and data[position + 1] not in b",\r\n":
            raise _UseExactPath("text after a closing quote")
        position = find(b'"', position + 1)
    return -1


def _line_breaks(data: bytes) -> int:
    return data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")


def _chunks(stream, first_line: int) -> Iterator[_Chunk]:
    """Record-aligned chunks of about PG_CHUNK_BYTES of the byte stream (after the header and
    the publication line), each cut at a line end outside quotes."""
    buffer = b""
    index = 0
    line = first_line
    eof = False
    while not eof:
        block = stream.read(PG_CHUNK_BYTES)
        eof = not block
        buffer += block
        if not buffer:
            break
        cut = len(buffer)
        if not eof:
            cut = buffer.rfind(b"\n") + 1
            while cut:
                opened = _quote_state(buffer, cut)
                if opened == -1:
                    break
                cut = buffer.rfind(b"\n", 0, opened) + 1
            if not cut:
                continue  # one record longer than a block: read more
        data, buffer = buffer[:cut], buffer[cut:]
        if eof and _quote_state(data, len(data)) != -1:
            raise _UseExactPath("a quoted field is not closed at the end of the file")
        if data.startswith(b"\\.") or b"\n\\." in data or b"\r\\." in data:
            raise _UseExactPath("a line starting with COPY's end-of-data marker")
        breaks = _line_breaks(data)
        yield _Chunk(index, _without_blank_lines_at_the_end(data), line, breaks, final=eof)
        index += 1
        line += breaks


def _without_blank_lines_at_the_end(data: bytes) -> bytes:
    """``data`` up to its last record's line end: COPY would read a blank line after it (a file
    ending with one, or a chunk cut before a run of them) as a record of one empty field and
    refuse the chunk, where the exact path passes over it. A chunk is cut outside quotes, so
    the line breaks it ends with are after a whole record."""
    record = data.rstrip(b"\r\n")
    if len(record) == len(data) or not record:
        return record
    end = data[len(record) : len(record) + 2]
    return record + (end if end == b"\r\n" else end[:1])


class _PostgresFastImport:
    """The PostgreSQL fast path (see the module docstring). ``run`` returns the tally after
    the swap, raises ``RegistryImportError`` for a refused file, or ``_UseExactPath``."""

    def __init__(self, source: Source, snapshot: Snapshot, skip_bad_rows: bool, on_chunk):
        self.source = source
        self.snapshot = snapshot
        self.skip_bad_rows = skip_bad_rows
        self.on_chunk = on_chunk
        self.load_table = f"{LOAD_TABLE}_{int(snapshot.pk)}"
        self.connections = []
        self.failures: list[BaseException] = []
        self.done: list[_Chunk] = []
        self._set_aside_count = 0
        self._lock = threading.Lock()

    # connections of their own (autocommit): the load table is filled outside the import's
    # transaction, invisible under its own name, and only the swap happens in that transaction
    def _connect(self):
        params = connection.get_connection_params()
        raw = connection.get_new_connection(params)
        raw.autocommit = True
        self.connections.append(raw)
        return raw

    def _start_session(self, raw):
        with raw.cursor() as cursor:
            for statement in _PG_SESSION:
                cursor.execute(statement)
            with cursor.copy("COPY roc (k, d) FROM STDIN") as copy:
                copy.write(_roc_dates())
            cursor.execute("ANALYZE roc")

    def _create_load_table(self, raw):
        columns = ", ".join(
            f'"{f.column}" {f.db_type(connection)} {"NULL" if f.null else "NOT NULL"}'
            for f in TaxRecord._meta.local_concrete_fields
        )
        with raw.cursor() as cursor:
            cursor.execute(f'CREATE TABLE "{self.load_table}" ({columns})')

    def _work(self, raw, chunks: queue.Queue):
        """One connection: COPY a chunk into its staging table, INSERT the records that pass
        into the load table, fetch the others; until the queue's end."""
        statement = _pg_chunk_sql(self.load_table)
        params = _pg_params(self.snapshot.pk)
        while True:
            chunk = chunks.get()
            if chunk is None:
                return
            if self.failures:
                continue  # drain the queue so the reader never blocks
            try:
                with raw.cursor() as cursor:
                    cursor.execute("TRUNCATE stage RESTART IDENTITY")
                    with cursor.copy(_PG_COPY_STAGE) as copy:
                        view = memoryview(chunk.data)
                        for start in range(0, len(view), 1 << 20):
                            copy.write(view[start : start + (1 << 20)])
                    chunk.rows = cursor.rowcount
                    cursor.execute(statement, params)
                    chunk.set_aside = cursor.fetchall()
                with self._lock:
                    self._set_aside_count += len(chunk.set_aside)
                    if self._set_aside_count > PG_SET_ASIDE_LIMIT:
                        raise _UseExactPath("too many records set aside to hold")
                if not chunk.set_aside or chunk.breaks in (chunk.rows, chunk.rows - chunk.final):
                    chunk.data = b""  # kept only to count lines inside quoted fields
                self.done.append(chunk)
            except BaseException as exc:
                self.failures.append(exc)

    def _in_threads(self, *calls):
        """Run each (function, args) in its own thread; re-raise the first failure."""
        failures = []

        def guard(function, args):
            try:
                function(*args)
            except BaseException as exc:
                failures.append(exc)

        threads = [threading.Thread(target=guard, args=call) for call in calls]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if failures:
            raise failures[0]

    def run(self, published_on) -> _Tally:
        import psycopg

        try:
            return self._run(published_on)
        except (psycopg.errors.DataError, psycopg.errors.IntegrityError) as exc:
            # COPY refused the text (field count, encoding, NUL) or the key a duplicate: the
            # exact path finds the first problem and its line.
            raise _UseExactPath(str(exc).splitlines()[0]) from exc
        finally:
            self._close()

    def _run(self, published_on) -> _Tally:
        with self.source.open() as stream:
            first, second = stream.readline(), stream.readline()
            if not second.endswith(b"\n") or _line_breaks(first + second) != 2:
                raise _UseExactPath("the header or the publication line spans several lines")
            workers = [self._connect() for _ in range(PG_WORKERS)]
            self._in_threads((self._create_load_table, (workers[0],)))
            self._in_threads(*[(self._start_session, (raw,)) for raw in workers])
            chunks: queue.Queue = queue.Queue(maxsize=PG_WORKERS)
            threads = [threading.Thread(target=self._work, args=(raw, chunks)) for raw in workers]
            for thread in threads:
                thread.start()
            try:
                position = len(first) + len(second)
                for chunk in _chunks(stream, FIRST_RECORD_LINE):
                    if self.failures:
                        break
                    chunks.put(chunk)
                    position += len(chunk.data)
                    self.on_chunk(sum(c.rows for c in self.done), position)
            except (zipfile.BadZipFile, EOFError, zlib.error, OSError) as exc:
                raise _UseExactPath(f"reading the file: {exc}") from exc
            finally:
                for _ in threads:
                    chunks.put(None)
                for thread in threads:
                    thread.join()
        if self.failures:
            raise self.failures[0]
        self.done.sort(key=lambda c: c.index)
        tally = self._recheck_set_aside()
        # The key (a duplicate number fails it) and the partial index, side by side.
        load = self.load_table
        self._in_threads(
            (self._execute, (workers[0], f'CREATE UNIQUE INDEX "{load}_pkey" ON "{load}" '
                             '("snapshot_id", "ubn")')),
            (self._execute, (workers[1], BRANCH_INDEX_SQL.format(name=f"{load}_branch",
                                                                  table=load))),
        )  # fmt: skip
        self._in_threads(
            (self._execute, (workers[0], f'ALTER TABLE "{load}" ADD CONSTRAINT "{load}_pkey" '
                             f'PRIMARY KEY USING INDEX "{load}_pkey"')),
        )  # fmt: skip
        self._check_set_aside_numbers(workers[0])
        if tally.skipped and not self.skip_bad_rows:
            first_bad = tally.skipped[0]
            raise RegistryImportError(first_bad["reason"], first_bad["line"])
        if self.source.ends_with_newline() is False and not self.skip_bad_rows:
            last = self.done[-1] if self.done else None
            line = last.first_line + last.breaks if last else FIRST_RECORD_LINE - 1
            raise RegistryImportError("the file ends in the middle of a line (truncated)", line)
        tally.rows = sum(c.rows for c in self.done) - tally.skipped_count
        if tally.rows == 0:
            raise RegistryImportError("the file holds no valid records")
        self._execute(workers[1], f'ANALYZE "{load}"')
        with transaction.atomic():
            with connection.cursor() as cursor:
                _pg_swap(cursor.cursor, load)
            _flip(self.snapshot, published_on, tally)
        self.load_table = None  # swapped in: nothing to drop
        return tally

    @staticmethod
    def _execute(raw, sql):
        with raw.cursor() as cursor:
            cursor.execute(sql)

    def _recheck_set_aside(self) -> _Tally:
        """RowChecker on the records the SQL checks set aside, in the file's order: the reason
        and the physical line of each. If it accepts one, only the exact path can load it."""
        tally = _Tally()
        checker = RowChecker("t", "f")
        self._set_aside_numbers = []
        for chunk in self.done:
            if not chunk.set_aside:
                continue
            lines = self._record_lines(chunk)
            for ordinal, *record in chunk.set_aside:
                try:
                    checker.check(record)
                except BadRow as bad:
                    tally.skip(lines(ordinal), str(bad))
                    if _ubn_ok(record[1]):
                        self._set_aside_numbers.append(record[1])
                    continue
                raise _UseExactPath("a record the SQL checks set aside passes RowChecker")
        return tally

    def _record_lines(self, chunk: _Chunk) -> Callable[[int], int]:
        """Record ordinal in the chunk (1-based) → physical line of its end, as csv.reader's
        line_num gives it."""
        one_line_each = chunk.breaks == chunk.rows or (
            chunk.final and chunk.breaks == chunk.rows - 1
        )
        if one_line_each:
            return lambda ordinal: chunk.first_line + ordinal - 1
        # Line breaks inside quoted fields (the worker kept the chunk's bytes for this): count
        # the lines as csv.reader does, for the records wanted only.
        wanted = {ordinal for ordinal, *_ in chunk.set_aside}
        text = io.TextIOWrapper(io.BytesIO(chunk.data), encoding="utf-8", newline="")
        reader = csv.reader(text, strict=True)
        ends = {}
        for ordinal, _record in enumerate(reader, 1):
            if ordinal in wanted:
                ends[ordinal] = chunk.first_line - 1 + reader.line_num
        return ends.__getitem__

    def _check_set_aside_numbers(self, raw):
        """A set-aside record whose number is in the load table may be a duplicate (reported
        as such by the exact path): leave those to it."""
        if not self._set_aside_numbers:
            return
        with raw.cursor() as cursor:
            query = f'SELECT 1 FROM "{self.load_table}" WHERE ubn = ANY(%s) LIMIT 1'  # noqa: S608
            cursor.execute(query, [self._set_aside_numbers])
            if cursor.fetchone():
                raise _UseExactPath("a set-aside record's number is also in the file")

    def _close(self):
        if self.load_table and self.connections:
            with contextlib.suppress(Exception), self.connections[0].cursor() as cursor:
                cursor.execute("SET lock_timeout = '5s'")
                cursor.execute(f'DROP TABLE IF EXISTS "{self.load_table}"')
        for raw in self.connections:
            with contextlib.suppress(Exception):
                raw.close()
        self.connections = []


# --- the import ---------------------------------------------------------------------------------


def purge_stale_snapshots() -> int:
    """Mark interrupted imports failed and delete rows of every snapshot that is not current;
    drop load tables an interrupted import left behind."""
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
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                "AND tablename LIKE %s",
                [LOAD_TABLE.replace("_", r"\_") + r"\_%"],
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f'DROP TABLE IF EXISTS "{name}"')
    return deleted


def _preamble(records) -> datetime.date:
    """Check the header (line 1) and read the publication date (line 2)."""
    header = next(records, None)
    if header is None:
        raise RegistryImportError("the file is empty", 1)
    found = [h.strip() for h in header]
    if found != HEADER:
        # The first column that differs, so the operator sees what to look at.
        column, got, expected = next(
            (i, got, expected)
            for i, (got, expected) in enumerate(
                itertools.zip_longest(found, HEADER, fillvalue=""), 1
            )
            if got != expected
        )
        raise RegistryImportError(
            "the header is not the 16 columns of BGMOPEN1.csv: "
            f"column {column} is {got[:50]!r}, expected {expected!r}",
            1,
        )
    dateline = next(records, None)
    if dateline is None:
        raise RegistryImportError("the publication-date line is missing", 2)
    # What the line holds instead, in words the staff page translates (import_messages).
    problem = None
    if any(v.strip() for v in dateline[1:]):
        problem = "a record, not the publication date"
    elif not dateline or not dateline[0].strip():
        problem = "empty publication date"
    else:
        try:
            return parse_publication_date(dateline[0])
        except ValueError:
            problem = f"not a date: {dateline[0].strip()[:30]!r}"
    raise RegistryImportError(
        f"the second line must be the publication date (e.g. 10-APR-23): {problem}", 2
    )


def _refuse_older(published_on: datetime.date, allow_older: bool):
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


def import_registry(
    path: str | os.PathLike,
    *,
    skip_bad_rows: bool = False,
    allow_older: bool = False,
    progress: ProgressCallback | None = None,
    fast: bool = True,
) -> ImportResult:
    """Import ``path`` as the new current snapshot; raise ``RegistryImportError`` if refused.

    ``fast=False`` takes the exact path on PostgreSQL (the reference the fast path is tested
    against)."""
    started = time.monotonic()
    source = Source(path)
    if connection.vendor not in ("postgresql", "sqlite"):
        raise RegistryImportError(f"unsupported database: {connection.vendor}")
    purge_stale_snapshots()
    snapshot = Snapshot.objects.create(source_name=source.name[:255])

    def report(rows, skipped, position):
        if progress is not None:
            elapsed = time.monotonic() - started
            progress(Progress(rows, skipped, position, source.total_bytes, elapsed))

    try:
        with source.open() as stream, _no_gc():
            text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
            text._CHUNK_SIZE = READ_CHUNK
            reader = csv.reader(text, strict=True)
            records = _records(reader, source)
            published_on = _preamble(records)
            _refuse_older(published_on, allow_older)
            tally = None
            if (
                fast
                and connection.vendor == "postgresql"
                and reader.line_num == 2
                and source.total_bytes >= PG_FAST_MIN_BYTES
            ):
                fast_import = _PostgresFastImport(
                    source, snapshot, skip_bad_rows, lambda rows, pos: report(rows, 0, pos)
                )
                with contextlib.suppress(_UseExactPath):
                    tally = fast_import.run(published_on)
                    used = "copy-sql"
            if tally is None:
                tally, used = _import_exactly(
                    source, snapshot, published_on, records, reader, stream, skip_bad_rows,
                    report,
                )  # fmt: skip
    except BaseException as exc:
        Snapshot.objects.filter(pk=snapshot.pk).update(
            status=SnapshotStatus.FAILED, error=str(exc)[:2000] or exc.__class__.__name__
        )
        raise
    purge_stale_snapshots()
    report(tally.rows, tally.skipped_count, source.total_bytes)
    snapshot.refresh_from_db()
    return ImportResult(
        snapshot=snapshot,
        rows=tally.rows,
        skipped=tally.skipped_count,
        seconds=time.monotonic() - started,
        skipped_by_reason=dict(tally.reasons),
        path=used,
    )


def _import_exactly(
    source, snapshot, published_on, records, reader, stream, skip_bad_rows, report
) -> tuple[_Tally, str]:
    """Python's csv module parses, RowChecker checks, the loader writes the load table."""
    sqlite = connection.vendor == "sqlite"
    loader = SqliteLoader() if sqlite else PostgresLoader()
    loader.prepare()
    checker = RowChecker(loader.true_value, loader.false_value)
    tally = _Tally()
    batch_rows = SQLITE_BATCH_ROWS if sqlite else COPY_BATCH_ROWS
    batches = _checked_batches(records, reader, source, checker, tally, skip_bad_rows, batch_rows)
    with transaction.atomic():
        loader.start(snapshot.pk)
        try:
            for batch in batches:
                loader.add_batch(batch)
                report(tally.rows, tally.skipped_count, stream.tell())
            loader.finish()
            loader.swap()
        except BaseException:
            loader.abort()
            raise
        _flip(snapshot, published_on, tally)
    return tally, "python"


def _flip(snapshot, published_on, tally: _Tally):
    """Make ``snapshot`` the current one (inside the load's transaction)."""
    Snapshot.objects.filter(is_current=True).exclude(pk=snapshot.pk).update(
        is_current=False, status=SnapshotStatus.SUPERSEDED
    )
    Snapshot.objects.filter(pk=snapshot.pk).update(
        is_current=True,
        status=SnapshotStatus.CURRENT,
        published_on=published_on,
        row_count=tally.rows,
        skipped_count=tally.skipped_count,
        report=tally.skipped,
        imported_at=timezone.now(),
    )
