"""``manage.py seed_call [year]``: create or update a programme year's call from its seed data
and print what was created and updated. A run is in the audit log ("calls.seeded"): it puts
back the document's values over what the operator edited in the admin (weights, points, dates),
so the log says which rows it created and which fields it set back."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from aipower.calls.seed import CREATED, UPDATED, seed
from aipower.core import audit


class Command(BaseCommand):
    help = (
        "Create or update a programme year's call (default 115) from aipower.calls.seeds. "
        "Idempotent; seeded rows the operator edited are set back to the seed data."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", nargs="?", type=int, default=115, help="ROC year, e.g. 115")

    def handle(self, *args, year, **options):
        try:
            with transaction.atomic():
                report = seed(year)
                audit.record(
                    "calls.seeded",
                    obj=report.call,
                    year=report.call.year,
                    created=[label for outcome, label in report.rows if outcome == CREATED],
                    updated=[label for outcome, label in report.rows if outcome == UPDATED],
                    unchanged=report.unchanged,
                    via="manage.py seed_call",
                )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        for outcome, label in report.rows:
            if outcome in (CREATED, UPDATED) or options["verbosity"] >= 2:
                self.stdout.write(f"{outcome}: {label}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Call {report.call.year}: {report.created} created, {report.updated} updated, "
                f"{report.unchanged} unchanged."
            )
        )
