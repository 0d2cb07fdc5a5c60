"""``manage.py sweep_deliverables [--delete] [--min-age-hours N]``: list (or delete) the files
under the private deliverables root that no submission names — left by an upload whose
transaction rolled back after the file was written. Files younger than ``--min-age-hours``
(default 24) are never touched: an upload may be committing at that moment."""

import time

from django.core.management.base import BaseCommand

from aipower.deliverables.models import Submission
from aipower.deliverables.storage import deliverables_root, orphans


class Command(BaseCommand):
    help = "List, or with --delete remove, deliverables files that no submission refers to."

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="remove them (default: list)")
        parser.add_argument("--min-age-hours", type=float, default=24.0)

    def handle(self, *args, delete=False, min_age_hours=24.0, **options):
        known = set(Submission.objects.exclude(file="").values_list("file", flat=True))
        found = orphans(known, time.time() - min_age_hours * 3600)
        root = deliverables_root()
        for path in found:
            self.stdout.write(("deleted " if delete else "orphan ") + str(path.relative_to(root)))
            if delete:
                path.unlink()
        self.stdout.write(f"{len(found)} orphan file(s){' deleted' if delete else ''}.")
