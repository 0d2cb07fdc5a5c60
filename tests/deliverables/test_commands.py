"""``manage.py sweep_deliverables``: files no submission names, old enough, listed or removed."""

import os
import time

import pytest
from django.core.management import call_command

from aipower.deliverables import services
from aipower.deliverables.enums import Item

from .conftest import upload

pytestmark = pytest.mark.integration


def test_sweep_lists_then_deletes_only_old_orphans(
    inference_ended, company_user, private_root, capsys
):
    kept = services.submit(
        inference_ended,
        Item.REPORT,
        by=company_user(inference_ended.company),
        upload=upload("r.pdf"),
    )
    old_orphan = private_root / "999" / "report" / "left.pdf"
    young_orphan = private_root / "999" / "report" / "writing.pdf"
    for path in (old_orphan, young_orphan):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"%PDF-1.7")
    two_days_ago = time.time() - 2 * 86400
    os.utime(old_orphan, (two_days_ago, two_days_ago))
    kept_path = private_root / kept.file.name
    os.utime(kept_path, (two_days_ago, two_days_ago))

    call_command("sweep_deliverables")
    listed = capsys.readouterr().out
    assert listed.splitlines() == ["orphan 999/report/left.pdf", "1 orphan file(s)."]
    assert old_orphan.exists()

    call_command("sweep_deliverables", "--delete")
    assert capsys.readouterr().out.splitlines() == [
        "deleted 999/report/left.pdf",
        "1 orphan file(s) deleted.",
    ]
    assert not old_orphan.exists()
    assert young_orphan.exists()
    assert kept_path.exists()
