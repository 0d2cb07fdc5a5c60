"""The tax-registration importer: the demo fixture, every kind of bad file, skipping bad rows on
request, and atomic replacement of the current snapshot."""

import datetime
import zipfile
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from aipower.registry.enums import SnapshotStatus
from aipower.registry.importer import RegistryImportError, import_registry
from aipower.registry.models import Snapshot, TaxRecord
from aipower.registry.services import DEMO_FIXTURE, current_record, import_demo_registry

from .conftest import demo_rows

pytestmark = pytest.mark.integration


def current_ubns():
    return set(TaxRecord.objects.filter(snapshot__is_current=True).values_list("ubn", flat=True))


def test_import_demo_fixture_loads_every_record(db):
    result = import_demo_registry()

    snapshot = Snapshot.objects.get(is_current=True)
    assert result.rows == 11
    assert result.skipped == 0
    assert snapshot.row_count == 11
    assert snapshot.published_on == datetime.date(2026, 10, 1)
    assert snapshot.status == SnapshotStatus.CURRENT
    assert snapshot.source_name == "BGMOPEN1-demo.csv"
    assert snapshot.imported_at is not None


def test_import_demo_fixture_converts_fields(db):
    import_demo_registry()

    qingkong = current_record("84700087")
    branch = current_record("75888073")
    assert qingkong.name == "晴空智能股份有限公司"
    assert qingkong.founded_on == datetime.date(2021, 3, 15)
    assert qingkong.capital == 25_000_000
    assert qingkong.legal_form == "股份有限公司"
    assert qingkong.uses_uniform_invoice is True
    assert qingkong.address == "臺北市大安區光明里敦化南路２段７６號８樓"
    assert qingkong.industries == [
        ("620211", "系統整合"),
        ("620212", "系統規劃、分析及設計"),
        ("639099", "未分類其他資訊服務"),
    ]
    assert qingkong.head_office_ubn == ""
    assert branch.head_office_ubn == "48552728"
    assert branch.capital is None
    assert current_record("78220482").uses_uniform_invoice is False


def test_import_zip_holding_the_csv(db, tmp_path):
    archive = tmp_path / "BGMOPEN1.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as handle:
        handle.write(DEMO_FIXTURE, "BGMOPEN1.csv")

    result = import_registry(archive)

    assert result.rows == 11
    assert result.snapshot.source_name == "BGMOPEN1.zip:BGMOPEN1.csv"
    assert current_record("52880483").name == "山嵐資訊有限公司"


def test_import_publication_date_formats(db, csv_file):
    rows = demo_rows()[:1]
    for text, expected in [
        ("10-APR-23", datetime.date(2023, 4, 10)),
        ("2024-05-06", datetime.date(2024, 5, 6)),
        ("1150101", datetime.date(2026, 1, 1)),
    ]:
        result = import_registry(csv_file(rows, date_line=[text] + [""] * 15))
        assert result.snapshot.published_on == expected


# --- refused files ------------------------------------------------------------------------------


def bad_row(index, column, value):
    rows = demo_rows()
    rows[index][column] = value
    return rows


@pytest.mark.parametrize(
    ("make_rows", "options", "line", "reason"),
    [
        (
            lambda: demo_rows(),
            {"header": ["統一編號", "營業人名稱"]},
            1,
            "the header is not the 16 columns of BGMOPEN1.csv",
        ),
        (
            lambda: demo_rows(),
            {"date_line": False},
            2,
            "the second line must be the publication date",
        ),
        (
            lambda: demo_rows(),
            {"date_line": ["yesterday"] + [""] * 15},
            2,
            "the second line must be the publication date",
        ),
        (lambda: bad_row(2, 1, "48552729"), {}, 5, "統一編號 is not valid"),
        (lambda: bad_row(0, 1, "8470008"), {}, 3, "統一編號 is not valid"),
        (lambda: bad_row(3, 2, "12345678"), {}, 6, "總機構統一編號 is not valid"),
        (lambda: bad_row(1, 5, "0980231"), {}, 4, "設立日期 is not a valid ROC date"),
        (lambda: bad_row(1, 5, "98-06-01"), {}, 4, "設立日期 is not a valid ROC date"),
        (lambda: bad_row(4, 8, "2599"), {}, 7, "行業代號 is not a 6-digit industry code"),
        (lambda: bad_row(4, 12, "25999A"), {}, 7, "行業代號2 is not a 6-digit industry code"),
        (lambda: bad_row(0, 4, "2,500"), {}, 3, "資本額 is not a whole number"),
        (lambda: bad_row(0, 7, "是"), {}, 3, "使用統一發票 must be Y or N"),
        (lambda: bad_row(0, 3, " "), {}, 3, "營業人名稱 is empty"),
        (
            lambda: [*demo_rows(), demo_rows()[1]],
            {},
            14,
            "統一編號 appears more than once: '52880483'",
        ),
        (lambda: [*demo_rows()[:3], demo_rows()[3][:12]], {}, 6, "expected 16 fields, found 12"),
        (lambda: [*demo_rows()[:3], [*demo_rows()[3], "x"]], {}, 6, "expected 16 fields, found 17"),
        (lambda: [], {}, None, "the file holds no valid records"),
    ],
)
def test_import_bad_file_refused_with_line_and_reason(
    db, csv_file, make_rows, options, line, reason
):
    path = csv_file(make_rows(), **options)

    with pytest.raises(RegistryImportError) as excinfo:
        import_registry(path)

    assert excinfo.value.line == line
    assert excinfo.value.reason.startswith(reason)
    assert not Snapshot.objects.filter(is_current=True).exists()
    assert TaxRecord.objects.count() == 0
    failed = Snapshot.objects.get()
    assert failed.status == SnapshotStatus.FAILED
    assert reason in failed.error


def test_import_wrong_encoding_refused_with_the_line(db, csv_file, tmp_path):
    utf8 = csv_file(demo_rows()).read_bytes()
    lines = utf8.split(b"\r\n")
    lines[6] = lines[6].decode("utf-8").encode("big5", errors="replace")
    path = tmp_path / "big5-row.csv"
    path.write_bytes(b"\r\n".join(lines))

    with pytest.raises(RegistryImportError) as excinfo:
        import_registry(path)

    assert excinfo.value.line == 7
    assert excinfo.value.reason == "the file is not UTF-8 text (wrong encoding)"
    assert TaxRecord.objects.count() == 0


def test_import_big5_file_refused_at_line_1(db, csv_file):
    path = csv_file(demo_rows(), encoding="big5")

    with pytest.raises(RegistryImportError) as excinfo:
        import_registry(path)

    assert excinfo.value.line == 1
    assert excinfo.value.reason == "the file is not UTF-8 text (wrong encoding)"


def test_import_truncated_file_refused(db, csv_file, tmp_path):
    data = csv_file(demo_rows()).read_bytes()
    path = tmp_path / "truncated.csv"
    path.write_bytes(data[: len(data) - 40])  # cut inside the last record

    with pytest.raises(RegistryImportError) as excinfo:
        import_registry(path)

    assert excinfo.value.line == 13
    assert "truncated" in excinfo.value.reason or "fields" in excinfo.value.reason
    assert TaxRecord.objects.count() == 0


def test_import_truncated_inside_quoted_field_refused(db, csv_file, tmp_path):
    data = csv_file(demo_rows()).read_bytes() + '臺北市,"84641177'.encode()
    path = tmp_path / "open-quote.csv"
    path.write_bytes(data)

    with pytest.raises(RegistryImportError) as excinfo:
        import_registry(path)

    assert excinfo.value.reason.startswith("malformed CSV")
    assert TaxRecord.objects.count() == 0


def test_import_truncated_zip_refused(db, tmp_path):
    archive = tmp_path / "BGMOPEN1.zip"
    from aipower.registry.synthetic import write_file

    write_file(archive, 3000, seed=3)
    damaged = tmp_path / "damaged.zip"
    data = archive.read_bytes()
    # Keep the archive's directory (at the end) but damage the compressed data in the middle.
    middle = len(data) // 2
    damaged.write_bytes(data[:middle] + bytes(64) + data[middle + 64 :])

    with pytest.raises(RegistryImportError) as excinfo:
        import_registry(damaged)

    assert "damaged or truncated" in excinfo.value.reason or "malformed" in excinfo.value.reason
    assert TaxRecord.objects.count() == 0


def test_import_missing_file_refused(db, tmp_path):
    with pytest.raises(RegistryImportError) as excinfo:
        import_registry(tmp_path / "nope.csv")

    assert excinfo.value.reason.startswith("no such file")


# --- skipping bad rows --------------------------------------------------------------------------


def test_import_skip_bad_rows_reports_them(db, csv_file):
    rows = demo_rows()
    rows[2][1] = "48552729"  # line 5: bad check digit
    rows[6][5] = "1081340"  # line 9: no 13th month
    rows.append(demo_rows()[0])  # line 14: duplicate
    path = csv_file(rows)

    result = import_registry(path, skip_bad_rows=True)

    assert result.rows == 9
    assert result.skipped == 3
    assert result.snapshot.skipped_count == 3
    assert [item["line"] for item in result.snapshot.report] == [5, 9, 14]
    assert result.snapshot.report[2]["reason"] == "統一編號 appears more than once: '84700087'"
    assert result.skipped_by_reason == {
        "統一編號 is not valid (format or check digit)": 1,
        "設立日期 is not a valid ROC date yyyMMdd": 1,
        "統一編號 appears more than once": 1,
    }
    assert "48552729" not in current_ubns()
    assert "73960310" not in current_ubns()
    assert current_record("84700087").name == "晴空智能股份有限公司"


def test_import_skip_bad_rows_still_refuses_bad_header(db, csv_file):
    path = csv_file(demo_rows(), header=["a"] * 16)

    with pytest.raises(RegistryImportError):
        import_registry(path, skip_bad_rows=True)

    assert TaxRecord.objects.count() == 0


# --- atomic replacement -------------------------------------------------------------------------


def test_reimport_replaces_previous_snapshot(db, csv_file):
    first = import_demo_registry().snapshot
    newer = demo_rows()[:4]
    newer[0][3] = "晴空智能科技股份有限公司"
    path = csv_file(newer, date_line=["15-NOV-26"] + [""] * 15)

    second = import_registry(path).snapshot

    first.refresh_from_db()
    assert second.is_current is True
    assert second.published_on == datetime.date(2026, 11, 15)
    assert second.row_count == 4
    assert first.is_current is False
    assert first.status == SnapshotStatus.SUPERSEDED
    assert TaxRecord.objects.filter(snapshot=first).count() == 0
    assert current_ubns() == {"84700087", "52880483", "48552728", "75888073"}
    assert current_record("84700087").name == "晴空智能科技股份有限公司"


def test_failed_reimport_leaves_old_snapshot_serving(db, csv_file):
    first = import_demo_registry().snapshot
    rows = demo_rows()
    rows[9][1] = "12345678"  # the tenth record is bad: nine were already loaded
    path = csv_file(rows, date_line=["15-NOV-26"] + [""] * 15)

    with pytest.raises(RegistryImportError) as excinfo:
        import_registry(path)

    first.refresh_from_db()
    failed = Snapshot.objects.exclude(pk=first.pk).get()
    assert excinfo.value.line == 12
    assert first.is_current is True
    assert first.status == SnapshotStatus.CURRENT
    assert failed.status == SnapshotStatus.FAILED
    assert failed.is_current is False
    assert TaxRecord.objects.filter(snapshot=failed).count() == 0
    assert TaxRecord.objects.filter(snapshot=first).count() == 11
    assert current_record("84700087").snapshot_id == first.pk


def test_interrupted_import_is_cleaned_up_by_the_next(db, csv_file):
    current = import_demo_registry().snapshot
    stale = Snapshot.objects.create(source_name="killed.csv")
    TaxRecord.objects.create(snapshot=stale, ubn="84700087", name="partial")

    import_registry(csv_file(demo_rows()[:2]))

    stale.refresh_from_db()
    current.refresh_from_db()
    assert stale.status == SnapshotStatus.FAILED
    assert stale.error == "interrupted"
    assert TaxRecord.objects.filter(snapshot=stale).count() == 0
    assert TaxRecord.objects.filter(snapshot=current).count() == 0


# --- the command --------------------------------------------------------------------------------


def test_import_command_reports_success(db):
    out, err = StringIO(), StringIO()

    call_command("import_tax_registry", str(DEMO_FIXTURE), stdout=out, stderr=err)

    assert "imported 11 records" in out.getvalue()
    assert "published 2026-10-01" in out.getvalue()


def test_import_command_refusal_is_a_command_error(db, csv_file):
    path = csv_file(bad_row(0, 1, "12345678"))

    with pytest.raises(CommandError) as excinfo:
        call_command("import_tax_registry", str(path), "--quiet")

    assert str(excinfo.value) == (
        "refused, nothing imported: line 3: 統一編號 is not valid (format or check digit): "
        "'12345678'"
    )


def test_import_command_skip_bad_rows_prints_summary(db, csv_file):
    path = csv_file(bad_row(0, 1, "12345678"))
    out = StringIO()

    call_command("import_tax_registry", str(path), "--skip-bad-rows", "--quiet", stdout=out)

    assert "imported 10 records" in out.getvalue()
    assert "skipped 1 bad records:" in out.getvalue()
    assert "line 3: 統一編號 is not valid (format or check digit): '12345678'" in out.getvalue()


def test_import_keeps_special_characters(db, csv_file):
    rows = demo_rows()[:1]
    rows[0][3] = '晴空,"智能"\\股份\t有限公司'
    rows[0][0] = "臺北市大安區\n光明里"  # a quoted field across two lines

    import_registry(csv_file(rows))

    record = current_record("84700087")
    assert record.name == '晴空,"智能"\\股份\t有限公司'
    assert record.address == "臺北市大安區\n光明里"
    assert record.head_office_ubn == ""
    assert record.industry_code_3 == ""


def test_import_older_file_refused_unless_allowed(db, csv_file):
    import_demo_registry()  # published 2026-10-01
    older = csv_file(demo_rows()[:2], date_line=["10-APR-23"] + [""] * 15)

    with pytest.raises(RegistryImportError) as excinfo:
        import_registry(older)
    allowed = import_registry(older, allow_older=True)

    assert excinfo.value.line == 2
    assert excinfo.value.reason == (
        "the file was published on 2023-04-10, before the current data (2026-10-01); "
        "use --allow-older to import it anyway"
    )
    assert allowed.snapshot.is_current is True
    assert allowed.snapshot.published_on == datetime.date(2023, 4, 10)


def test_progress_reporter_plain_lines_and_bar():
    from aipower.registry.importer import Progress
    from aipower.registry.management.commands.import_tax_registry import ProgressReporter

    plain, bar = StringIO(), StringIO()
    step = Progress(rows=50_000, skipped=3, bytes_read=25, total_bytes=100, elapsed=10.0)

    ProgressReporter(plain, interactive=False)(step)
    ProgressReporter(bar, interactive=True)(step)

    assert plain.getvalue() == (
        " 25.0%     50,000 rows      5,000 rows/s  elapsed 0:00:10  left 0:00:30  skipped 3\n"
    )
    assert bar.getvalue() == (
        "\r[#######.......................]  25.0%     50,000 rows      5,000 rows/s  "
        "elapsed 0:00:10  left 0:00:30  skipped 3"
    )


def test_import_passes_over_blank_lines(db, csv_file):
    rows = demo_rows()
    path = csv_file([*rows[:5], [], *rows[5:]])
    with open(path, "a", encoding="utf-8", newline="") as handle:
        handle.write("\r\n")  # a blank line after the last record

    result = import_registry(path)

    assert (result.rows, result.skipped) == (11, 0)
    assert current_record("84700087").name == "晴空智能股份有限公司"
