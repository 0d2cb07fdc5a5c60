"""``manage.py generate_tax_registry --rows N --out path``: a synthetic BGMOPEN1.csv (or .zip)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from aipower.registry.synthetic import write_file


class Command(BaseCommand):
    help = "Write a realistic synthetic tax-registration file in the BGMOPEN1.csv format."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, required=True, help="number of records")
        parser.add_argument("--out", required=True, help="output path (.csv, or .zip)")
        parser.add_argument(
            "--invalid-ratio",
            type=float,
            default=0.0,
            help="share of records whose 統一編號 fails the check (0..1)",
        )
        parser.add_argument("--seed", type=int, default=None, help="random seed (reproducible)")
        parser.add_argument(
            "--published", default=None, help="publication date YYYY-MM-DD (default today)"
        )

    def handle(self, *args, rows, out, invalid_ratio, seed, published, **options):
        if rows < 0:
            raise CommandError("--rows must not be negative")
        if not 0.0 <= invalid_ratio <= 1.0:
            raise CommandError("--invalid-ratio must be between 0 and 1")
        try:
            published_on = datetime.date.fromisoformat(published) if published else None
        except ValueError as exc:
            raise CommandError(f"--published: {exc}") from None
        path = write_file(
            out, rows, invalid_ratio=invalid_ratio, seed=seed, published_on=published_on
        )
        self.stdout.write(f"wrote {rows} records to {path} ({path.stat().st_size:,} bytes)")
