"""Helpers for the registry tests: small BGMOPEN1-format files written on the fly."""

import csv
from pathlib import Path

import pytest

from aipower.registry.importer import HEADER
from aipower.registry.services import DEMO_FIXTURE

DATE_LINE = ["01-OCT-26"] + [""] * 15


def demo_rows():
    """The demo fixture's records (after the header and the publication-date line)."""
    with open(DEMO_FIXTURE, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))[2:]


def write_csv(path: Path, rows, *, header=None, date_line=None, encoding="utf-8-sig") -> Path:
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(HEADER if header is None else header)
        if date_line is not False:
            writer.writerow(DATE_LINE if date_line is None else date_line)
        writer.writerows(rows)
    return path


@pytest.fixture
def csv_file(tmp_path):
    """``csv_file(rows, **options)`` → the path of a BGMOPEN1-format file holding ``rows``."""
    counter = iter(range(1000))

    def make(rows, **options):
        return write_csv(tmp_path / f"BGMOPEN1-{next(counter)}.csv", rows, **options)

    return make
