"""``manage.py import_tax_registry path [--skip-bad-rows]``: import BGMOPEN1.csv (or its .zip).

A progress bar on stderr (rows, rows/s, time left from the bytes read) when stderr is a
terminal; plain periodic lines otherwise.
"""

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from aipower.registry.importer import Progress, RegistryImportError, import_registry
from aipower.registry.services import current_snapshot
from aipower.registry.uploads import record_imported


def _duration(seconds):
    seconds = max(int(seconds), 0)
    return f"{seconds // 3600:d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class ProgressReporter:
    def __init__(self, stream, interactive):
        self.stream = stream
        self.interactive = interactive
        self._last_line = 0.0

    def __call__(self, p: Progress):
        fraction = p.fraction
        text = (
            f"{fraction:6.1%} {p.rows:>10,} rows  {p.rate:>9,.0f} rows/s  "
            f"elapsed {_duration(p.elapsed)}  left {_duration(p.seconds_left or 0.0)}"
        )
        if p.skipped:
            text += f"  skipped {p.skipped:,}"
        if self.interactive:
            width = 30
            filled = int(width * fraction)
            self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {text}")
            self.stream.flush()
        elif time.monotonic() - self._last_line >= 5 or fraction >= 1.0:
            self._last_line = time.monotonic()
            self.stream.write(text + "\n")
            self.stream.flush()

    def done(self):
        if self.interactive:
            self.stream.write("\n")


class Command(BaseCommand):
    help = "Import the Ministry of Finance tax-registration data set as the current snapshot."
    # The system checks load every URL configuration (and pyHanko with it): 1-2 s of start-up
    # that a data import does not need; `manage.py check` and every server start still run them.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("path", help="BGMOPEN1.csv, or a .zip holding it")
        parser.add_argument(
            "--skip-bad-rows",
            action="store_true",
            help="skip isolated bad records and report them, instead of refusing the file",
        )
        parser.add_argument(
            "--allow-older",
            action="store_true",
            help="import a file published before the current data (normally refused)",
        )
        parser.add_argument("--quiet", action="store_true", help="no progress output")

    def handle(self, *args, path, skip_bad_rows, allow_older, quiet, **options):
        err = sys.stderr
        quiet = quiet or options["verbosity"] == 0
        reporter = None if quiet else ProgressReporter(err, err.isatty())
        replaced = current_snapshot()
        try:
            result = import_registry(
                path, skip_bad_rows=skip_bad_rows, allow_older=allow_older, progress=reporter
            )
        except RegistryImportError as exc:
            if reporter:
                reporter.done()
            where = f"line {exc.line}: " if exc.line else ""
            raise CommandError(f"refused, nothing imported: {where}{exc.reason}") from None
        if reporter:
            reporter.done()
        record_imported(result, replaced=replaced, via="manage.py import_tax_registry")
        snapshot = result.snapshot
        rate = result.rows / result.seconds if result.seconds else 0
        self.stdout.write(
            f"imported {result.rows:,} records in {result.seconds:.1f} s ({rate:,.0f} rows/s); "
            f"published {snapshot.published_on}; snapshot {snapshot.pk} is current "
            f"({result.path} path)"
        )
        if result.skipped:
            self.stdout.write(f"skipped {result.skipped:,} bad records:")
            for reason, count in sorted(result.skipped_by_reason.items()):
                self.stdout.write(f"  {count:>8,}  {reason}")
            for item in snapshot.report[:20]:
                self.stdout.write(f"  line {item['line']}: {item['reason']}")
            if len(snapshot.report) > 20:
                self.stdout.write(f"  … {result.skipped - 20:,} more (see the snapshot's report)")
