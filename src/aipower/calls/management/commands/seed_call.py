"""``manage.py seed_call [year]``: create or update a programme year's call from its seed data
and print what was created and updated."""

from django.core.management.base import BaseCommand, CommandError

from aipower.calls.seed import CREATED, UPDATED, seed


class Command(BaseCommand):
    help = (
        "Create or update a programme year's call (default 115) from aipower.calls.seeds. "
        "Idempotent; seeded rows the operator edited are set back to the seed data."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", nargs="?", type=int, default=115, help="ROC year, e.g. 115")

    def handle(self, *args, year, **options):
        try:
            report = seed(year)
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
