"""The PostgreSQL fast path (the file's bytes through COPY, the checks in SQL) against the exact
path (Python's csv module and RowChecker): the same records, the same bad rows with the same
lines and reasons, and the exact path whenever COPY or the SQL checks cannot decide as Python
would."""

import pytest
from django.db import connection

from aipower.registry import importer
from aipower.registry.importer import RegistryImportError, import_registry
from aipower.registry.models import Snapshot, TaxRecord
from aipower.registry.synthetic import write_file

from .conftest import demo_rows

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the fast path is PostgreSQL's"),
]

FIELDS = [f.name for f in TaxRecord._meta.concrete_fields if f.name != "snapshot"]


@pytest.fixture(autouse=True)
def fast_for_small_files(monkeypatch):
    """Every file takes the fast path (normally only files of 4 MB and more)."""
    monkeypatch.setattr(importer, "PG_FAST_MIN_BYTES", 0)


def current_records():
    return list(
        TaxRecord.objects.filter(snapshot__is_current=True).order_by("ubn").values_list(*FIELDS)
    )


def both_ways(path, **options):
    """Import ``path`` by the fast path, then by the exact one: (result, records) of each."""
    fast = import_registry(path, **options)
    fast_records = current_records()
    exact = import_registry(path, fast=False, allow_older=True, **options)
    return (fast, fast_records), (exact, current_records())


def refusal(path, **options):
    with pytest.raises(RegistryImportError) as excinfo:
        import_registry(path, **options)
    return excinfo.value.line, excinfo.value.reason


def load_tables_left():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'registry\\_taxrecord\\_load%%'"
        )
        return cursor.fetchone()[0]


def test_fast_path_loads_the_same_records_as_the_exact_path(db, tmp_path):
    path = tmp_path / "BGMOPEN1.csv"
    write_file(path, 3000, seed=11, invalid_ratio=0.01)

    (fast, fast_records), (exact, exact_records) = both_ways(path, skip_bad_rows=True)

    assert fast.path == "copy-sql"
    assert exact.path == "python"
    assert fast.rows == exact.rows > 2900
    assert fast.skipped == exact.skipped > 0
    assert fast.snapshot.report == exact.snapshot.report
    assert fast.skipped_by_reason == exact.skipped_by_reason
    assert fast_records == exact_records
    assert load_tables_left() == 0


def with_value(index, column, value):
    rows = demo_rows()
    rows[index][column] = value
    return rows


# Every kind of bad record the SQL checks must set aside, and RowChecker then refuse.
BAD_RECORDS = [
    (1, "48552729"),  # check digit
    (1, "8470008"),  # seven digits
    (1, "８４７０００８７"),  # full-width digits
    (1, "8470008a"),
    (2, "12345678"),  # head office: check digit
    (2, "84700087"),  # head office: the record's own number (row 0's number)
    (2, "4855272"),
    (3, " "),  # name: blank
    (3, "\u3000"),  # name: an ideographic space only
    (3, ""),
    (4, "2,500"),  # capital
    (4, "1" * 19),
    (4, "２５００"),
    (5, "1081340"),  # founding date: no 13th month
    (5, "1080230"),  # 30 February
    (5, "98-06-01"),
    (5, "10801"),
    (7, "是"),  # invoice
    (7, "y"),
    (8, "2599"),  # codes
    (10, "25999A"),
    (12, "２５９９９９"),
    (14, "1234567"),
]


@pytest.mark.parametrize(("column", "value"), BAD_RECORDS)
def test_fast_path_sets_aside_each_kind_of_bad_record_as_python_does(db, csv_file, column, value):
    rows = with_value(0, column, value)
    rows[3][column] = value  # and the same in a later record
    path = csv_file(rows)

    (fast, fast_records), (exact, exact_records) = both_ways(path, skip_bad_rows=True)

    assert fast.path == "copy-sql"
    assert fast.snapshot.report == exact.snapshot.report
    assert fast.snapshot.report[0]["line"] == 3
    assert fast_records == exact_records


@pytest.mark.parametrize(("column", "value"), BAD_RECORDS[::4])
def test_fast_path_refuses_a_bad_record_with_the_exact_paths_line_and_reason(
    db, csv_file, column, value
):
    path = csv_file(with_value(5, column, value))

    fast = refusal(path)
    exact = refusal(path, fast=False)

    assert fast == exact
    assert fast[0] == 8
    assert Snapshot.objects.filter(is_current=True).count() == 0
    assert load_tables_left() == 0


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        (5, " 1070101", "2018-01-01"),  # RowChecker strips the date
        (5, "１０７０１０１", "2018-01-01"),  # and reads full-width digits
        (5, "0000101", "1911-01-01"),  # 民國 0
        (5, "2500101", "2161-01-01"),  # beyond the SQL date table
    ],
)
def test_record_only_python_accepts_takes_the_exact_path(db, csv_file, column, value, expected):
    path = csv_file(with_value(0, column, value))

    result = import_registry(path)

    assert result.path == "python"
    assert result.rows == 11
    assert str(TaxRecord.objects.get(ubn="84700087").founded_on) == expected


def test_name_with_leading_space_stays_on_the_fast_path(db, csv_file):
    path = csv_file(with_value(0, 3, "\u3000晴空智能"))

    result = import_registry(path)

    assert result.path == "copy-sql"
    assert TaxRecord.objects.get(ubn="84700087").name == "\u3000晴空智能"


def test_copy_error_falls_back_to_the_exact_path(db, csv_file):
    rows = demo_rows()
    rows[4].append("x")  # 17 fields: COPY refuses the chunk

    fast = refusal(csv_file(rows))
    exact = refusal(csv_file(rows), fast=False)

    assert fast == exact == (7, "expected 16 fields, found 17")
    assert load_tables_left() == 0


def test_copy_error_with_skip_bad_rows_reports_like_the_exact_path(db, csv_file):
    rows = demo_rows()
    rows[4] = rows[4][:12]

    result = import_registry(csv_file(rows), skip_bad_rows=True)

    assert result.path == "python"
    assert result.snapshot.report == [{"line": 7, "reason": "expected 16 fields, found 12"}]


def test_duplicate_number_falls_back_and_keeps_the_first(db, csv_file):
    rows = [*demo_rows(), demo_rows()[1]]
    rows[-1][3] = "重複"

    result = import_registry(csv_file(rows), skip_bad_rows=True)

    assert result.path == "python"
    assert result.snapshot.report == [
        {"line": 14, "reason": "統一編號 appears more than once: '52880483'"}
    ]
    assert TaxRecord.objects.get(ubn="52880483").name == "山嵐資訊有限公司"


def test_bad_record_sharing_a_good_records_number_falls_back(db, csv_file):
    rows = [*demo_rows(), list(demo_rows()[1])]
    rows[-1][7] = "X"  # line 14: the same number as line 4, and a bad invoice flag

    result = import_registry(csv_file(rows), skip_bad_rows=True)

    assert result.path == "python"
    assert result.snapshot.report == [
        {"line": 14, "reason": "統一編號 appears more than once: '52880483'"}
    ]


@pytest.mark.parametrize(
    "text",
    [
        'a"b',  # a quote inside an unquoted field: PostgreSQL would start quoting there
    ],
)
def test_quoting_postgresql_reads_differently_takes_the_exact_path(db, csv_file, text):
    path = csv_file(demo_rows())
    data = path.read_bytes().replace("有限公司,".encode(), f"有限公司{text},".encode(), 1)
    path.write_bytes(data)

    result = import_registry(path)

    assert result.path == "python"
    assert result.rows == 11
    assert any(text in str(value) for record in current_records() for value in record)


def test_text_after_a_closing_quote_is_refused_by_the_exact_path(db, csv_file):
    path = csv_file(demo_rows())
    data = path.read_bytes().replace(",有限公司,".encode(), ',"有限"公司,'.encode(), 1)
    path.write_bytes(data)

    _line, reason = refusal(path)

    assert reason.startswith("malformed CSV")


def test_end_of_copy_marker_line_takes_the_exact_path(db, csv_file):
    path = csv_file(demo_rows())
    path.write_bytes(path.read_bytes() + b"\\.\r\n")

    line, reason = refusal(path)

    assert (line, reason) == (14, "expected 16 fields, found 1")


def test_quoted_fields_and_line_breaks_keep_the_lines_right(db, csv_file):
    rows = demo_rows()
    rows[0][0] = '臺北市\n大安區\r\n"光明里",9樓'  # record 1 ends on line 5
    rows[0][3] = "晴空,智能"
    rows[1][1] = "48552729"  # record 2: line 6
    rows[4][5] = "1081340"  # record 5: line 9
    path = csv_file(rows)

    (fast, fast_records), (exact, exact_records) = both_ways(path, skip_bad_rows=True)

    assert fast.path == "copy-sql"
    assert [item["line"] for item in fast.snapshot.report] == [6, 9]
    assert fast.snapshot.report == exact.snapshot.report
    assert fast_records == exact_records


def test_records_split_across_chunks(db, tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "PG_CHUNK_BYTES", 4096)
    path = tmp_path / "BGMOPEN1.csv"
    write_file(path, 500, seed=5, invalid_ratio=0.05)

    (fast, fast_records), (exact, exact_records) = both_ways(path, skip_bad_rows=True)

    assert fast.path == "copy-sql"
    assert fast.snapshot.report == exact.snapshot.report
    assert fast.skipped > 0
    assert fast_records == exact_records


def test_fast_reimport_keeps_the_table_definition(db, tmp_path):
    path = tmp_path / "BGMOPEN1.csv"
    write_file(path, 200, seed=8)

    import_registry(path)
    second = import_registry(path)

    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, TaxRecord._meta.db_table)
    assert second.path == "copy-sql"
    assert constraints["registry_taxrecord_pkey"]["columns"] == ["snapshot_id", "ubn"]
    assert constraints["registry_taxrecord_pkey"]["primary_key"] is True
    assert "registry_taxrecord_branch_idx" in constraints
    assert TaxRecord.objects.filter(snapshot=second.snapshot).count() == 200
    assert load_tables_left() == 0


def test_many_set_aside_records_take_the_exact_path(db, csv_file, monkeypatch):
    monkeypatch.setattr(importer, "PG_SET_ASIDE_LIMIT", 1)
    rows = with_value(0, 7, "X")
    rows[5][7] = "X"
    path = csv_file(rows)

    result = import_registry(path, skip_bad_rows=True)

    assert result.path == "python"
    assert [item["line"] for item in result.snapshot.report] == [3, 8]


def test_file_cut_inside_the_last_field_is_refused_as_truncated(db, csv_file, tmp_path):
    rows = demo_rows()
    rows[-1][14:16] = ["639099", "未分類其他資訊服務"]
    data = csv_file(rows).read_bytes()
    path = tmp_path / "cut.csv"
    path.write_bytes(data[: len(data) - 5])  # the line end and the last field's last character

    fast = refusal(path)
    exact = refusal(path, fast=False)

    assert fast == exact == (13, "the file ends in the middle of a line (truncated)")
    assert load_tables_left() == 0


@pytest.mark.parametrize("tail", [b"\r\n", b"\r\n\r\n", b"\n\n"], ids=["one", "two", "lf"])
def test_blank_lines_after_the_last_record_stay_on_the_fast_path(db, csv_file, tail):
    """A file that ends with blank lines (as many exported files do) is loaded by COPY like one
    without them, with the same bad records on the same lines, not by the slow exact path."""
    rows = demo_rows()
    rows[4][5] = "1081340"  # record 5: line 7, after the header and the publication line
    path = csv_file(rows)
    path.write_bytes(path.read_bytes() + tail)

    (fast, fast_records), (exact, exact_records) = both_ways(path, skip_bad_rows=True)

    assert fast.path == "copy-sql"
    assert [item["line"] for item in fast.snapshot.report] == [7]
    assert fast.snapshot.report == exact.snapshot.report
    assert fast_records == exact_records


def test_blank_line_between_records_is_passed_over_as_the_exact_path_does(db, csv_file):
    path = csv_file(demo_rows())
    lines = path.read_bytes().split(b"\r\n")
    path.write_bytes(b"\r\n".join([*lines[:5], b"", *lines[5:]]))

    (fast, fast_records), (exact, exact_records) = both_ways(path)

    assert fast.rows == exact.rows == len(demo_rows())
    assert fast_records == exact_records


def test_blank_lines_where_chunks_are_cut_keep_the_lines_right(db, tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "PG_CHUNK_BYTES", 4096)
    path = tmp_path / "BGMOPEN1.csv"
    write_file(path, 400, seed=7, invalid_ratio=0.05)
    lines = path.read_bytes().split(b"\r\n")
    # Blank lines after every 20th record, the file's last one among them.
    spaced = []
    for number, line in enumerate(lines):
        spaced.append(line)
        if number > 1 and number % 20 == 0:
            spaced.append(b"")
    path.write_bytes(b"\r\n".join(spaced))

    (fast, fast_records), (exact, exact_records) = both_ways(path, skip_bad_rows=True)

    assert fast.skipped == exact.skipped > 0
    assert fast.snapshot.report == exact.snapshot.report
    assert fast_records == exact_records
