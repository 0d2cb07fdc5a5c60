"""The synthetic BGMOPEN1 generator: the exact format, realistic content, configured bad numbers,
and files the importer takes."""

import csv
import datetime
import zipfile
from io import StringIO

import pytest
from django.core.management import call_command

from aipower.core.validators import is_valid_ubn
from aipower.registry.importer import HEADER, import_registry
from aipower.registry.models import TaxRecord
from aipower.registry.synthetic import INDUSTRIES, Generator, write_file

pytestmark = pytest.mark.integration


def read(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_generator_file_format(tmp_path):
    path = write_file(tmp_path / "g.csv", 50, seed=1, published_on=datetime.date(2023, 4, 10))

    raw = path.read_bytes()
    rows = read(path)
    assert raw.startswith(b"\xef\xbb\xbf")
    assert rows[0] == HEADER
    assert rows[1] == ["10-APR-23"] + [""] * 15
    assert len(rows) == 52
    assert all(len(row) == 16 for row in rows)


def test_generator_is_deterministic_with_a_seed(tmp_path):
    first = write_file(tmp_path / "a.csv", 200, seed=7, published_on=datetime.date(2026, 1, 1))
    second = write_file(tmp_path / "b.csv", 200, seed=7, published_on=datetime.date(2026, 1, 1))

    assert first.read_bytes() == second.read_bytes()


def test_generator_content_is_realistic():
    rows = list(Generator(seed=3).rows(5000))

    ubns = [row[1] for row in rows]
    forms = {row[6] for row in rows}
    sections = {
        section
        for row in rows
        for section, pairs in INDUSTRIES.items()
        if (row[8], row[9]) in pairs
    }
    branches = [row for row in rows if row[2]]
    heads = {row[1]: row for row in rows}
    assert len(set(ubns)) == 5000
    assert all(is_valid_ubn(ubn) for ubn in ubns)
    assert forms >= {"股份有限公司", "有限公司", "獨資", "合夥", "有限合夥", "外國公司在臺分公司"}
    assert sections == set(INDUSTRIES)
    assert 200 < len(branches) < 700
    for branch in branches:
        head = heads[branch[2]]
        assert branch[3].startswith(head[3])
        assert branch[3].endswith("分公司")
        assert ubns.index(head[1]) < ubns.index(branch[1])
    assert all(row[0][:3] in {"臺北市", "新北市", "桃園市", "臺中市", "臺南市", "高雄市",
                              "新竹市", "新竹縣", "苗栗縣", "彰化縣", "雲林縣", "嘉義市",
                              "屏東縣", "宜蘭縣", "花蓮縣", "臺東縣", "基隆市", "南投縣",
                              "澎湖縣", "金門縣"} for row in rows)  # fmt: skip
    assert all(row[5] == "" or len(row[5]) == 7 for row in rows)
    assert all(row[7] in {"Y", "N"} for row in rows)


def test_generator_invalid_ratio():
    rows = list(Generator(seed=5, invalid_ratio=0.1).rows(10_000))

    invalid = sum(1 for row in rows if not is_valid_ubn(row[1]))
    assert 850 < invalid < 1150


def test_generated_file_imports(db, tmp_path):
    path = write_file(tmp_path / "g.csv", 3000, seed=11, invalid_ratio=0.01)

    result = import_registry(path, skip_bad_rows=True)

    invalid = sum(1 for row in read(path)[2:] if not is_valid_ubn(row[1]))
    assert invalid > 0
    assert result.skipped == invalid
    assert result.rows == 3000 - invalid
    assert TaxRecord.objects.count() == 3000 - invalid


def test_generated_zip_imports(db, tmp_path):
    path = write_file(tmp_path / "BGMOPEN1.zip", 500, seed=2)

    with zipfile.ZipFile(path) as archive:
        assert archive.namelist() == ["BGMOPEN1.csv"]
    assert import_registry(path).rows == 500


def test_generate_command(tmp_path):
    out = StringIO()
    path = tmp_path / "cmd.csv"

    call_command(
        "generate_tax_registry",
        "--rows",
        "100",
        "--out",
        str(path),
        "--seed",
        "1",
        "--invalid-ratio",
        "0.5",
        "--published",
        "2026-10-01",
        stdout=out,
    )

    rows = read(path)
    assert out.getvalue().startswith(f"wrote 100 records to {path}")
    assert rows[1][0] == "01-OCT-26"
    assert 30 < sum(1 for row in rows[2:] if not is_valid_ubn(row[1])) < 70
