"""The importer's load path: a separate load table (on SQLite without indexes until the load is
done), batches, and the swap with the live table in one transaction."""

import pytest
from django.db import IntegrityError, connection, transaction

from aipower.registry import importer
from aipower.registry.enums import SnapshotStatus
from aipower.registry.importer import LOAD_TABLE, RegistryImportError, import_registry
from aipower.registry.models import Snapshot, TaxRecord
from aipower.registry.services import current_record, import_demo_registry, lookup

from .conftest import demo_rows

pytestmark = pytest.mark.integration

NEWER = ["15-NOV-26"] + [""] * 15


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of 3 records, so the 11 demo records span four batches."""
    monkeypatch.setattr(importer, "SQLITE_BATCH_ROWS", 3)
    monkeypatch.setattr(importer, "COPY_BATCH_ROWS", 3)


def table_names():
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


def index_names():
    with connection.cursor() as cursor:
        return set(connection.introspection.get_constraints(cursor, TaxRecord._meta.db_table))


def test_failure_in_a_late_batch_leaves_old_snapshot_serving(db, csv_file, small_batches):
    first = import_demo_registry().snapshot
    rows = demo_rows()
    rows[10][7] = "X"  # the last record, in the fourth batch: three batches were loaded
    path = csv_file(rows, date_line=NEWER)

    with pytest.raises(RegistryImportError) as excinfo:
        import_registry(path)

    first.refresh_from_db()
    assert excinfo.value.line == 13
    assert excinfo.value.reason == "使用統一發票 must be Y or N: 'X'"
    assert first.is_current is True
    assert Snapshot.objects.exclude(pk=first.pk).get().status == SnapshotStatus.FAILED
    assert TaxRecord.objects.count() == 11
    assert set(TaxRecord.objects.values_list("snapshot_id", flat=True)) == {first.pk}
    assert lookup("84700087")[0].name == "晴空智能股份有限公司"
    assert LOAD_TABLE not in table_names()


def test_import_leaves_no_load_table_and_keeps_the_indexes(db, csv_file):
    import_demo_registry()

    snapshot = import_registry(csv_file(demo_rows()[:3], date_line=NEWER)).snapshot

    assert LOAD_TABLE not in table_names()
    assert "registry_taxrecord_branch_idx" in index_names()
    assert TaxRecord.objects.filter(snapshot=snapshot).count() == 3
    with pytest.raises(IntegrityError), transaction.atomic():
        TaxRecord.objects.create(snapshot=snapshot, ubn="84700087", name="again")


def test_duplicate_in_a_later_batch_is_reported_first_kept(db, csv_file, small_batches):
    rows = demo_rows()
    rows.append(list(rows[0]))  # line 14, batch four: the same number as line 3
    rows[-1][3] = "重複公司"

    result = import_registry(csv_file(rows), skip_bad_rows=True)

    assert result.rows == 11
    assert result.snapshot.report == [
        {"line": 14, "reason": "統一編號 appears more than once: '84700087'"}
    ]
    assert current_record("84700087").name == "晴空智能股份有限公司"


def test_report_lines_count_line_breaks_inside_quoted_fields(db, csv_file, small_batches):
    rows = demo_rows()
    rows[0][0] = "臺北市\n大安區\r\n光明里"  # record 1 ends on line 5, not 3
    rows[1][1] = "48552729"  # record 2, bad check digit: line 6
    rows[4][3] = " "  # record 5, blank name: line 9 (second batch)

    result = import_registry(csv_file(rows), skip_bad_rows=True)

    assert [item["line"] for item in result.snapshot.report] == [6, 9]
    assert result.snapshot.report[1]["reason"] == "營業人名稱 is empty"
    assert current_record("84700087").address == "臺北市\n大安區\r\n光明里"


def test_bad_record_before_a_malformed_one_in_the_same_batch_is_reported(db, csv_file):
    rows = demo_rows()
    rows[1][4] = "12a"  # line 4: capital not a number
    path = csv_file(rows)
    text = path.read_text(encoding="utf-8-sig")
    path.write_text(text + 'x,"unterminated\n', encoding="utf-8-sig")

    with pytest.raises(RegistryImportError) as excinfo:
        import_registry(path)

    assert excinfo.value.line == 4
    assert excinfo.value.reason == "資本額 is not a whole number: '12a'"


@pytest.mark.parametrize(
    "value",
    ["a\\b", "\\N", "tab\there", "\x01", "x\x01y", "line\rbreak", "\\.", "  "],
)
def test_import_keeps_text_that_copy_would_read_as_escapes(db, csv_file, value):
    rows = demo_rows()[:2]
    rows[0][6] = value  # 組織別名稱: no check applies
    rows[1][6] = "有限公司"

    import_registry(csv_file(rows))

    assert current_record("84700087").legal_form == value
    assert current_record(rows[1][1]).legal_form == "有限公司"


def test_import_converts_blank_values_to_null_and_keeps_blank_text(db, csv_file):
    rows = demo_rows()[:1]
    rows[0][4] = ""  # capital
    rows[0][5] = ""  # founded
    rows[0][7] = ""  # invoice
    rows[0][6] = ""  # legal form (text: stays empty, not NULL)

    import_registry(csv_file(rows))

    record = TaxRecord.objects.get(ubn="84700087")
    assert record.capital is None
    assert record.founded_on is None
    assert record.uses_uniform_invoice is None
    assert record.legal_form == ""
