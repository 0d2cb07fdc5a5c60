"""``manage.py run_review_deadlines [--enqueue] [--now ISO]``: the supplement deadlines, now or
queued (hourly from cron; safe to repeat)."""

from django.core.management.base import CommandError
from django.utils.dateparse import parse_datetime

from aipower.core.management.jobs import JobCommand
from aipower.review import services
from aipower.review.tasks import expire_supplements_task


class Command(JobCommand):
    help = (
        "Turn supplements not answered by their deadline into 「不予受理」 (with notice) and "
        "remind those due soon. Idempotent: run it as often as you like."
    )

    task = expire_supplements_task

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--now", help="ISO date-time to judge deadlines by (testing)")

    def handle(self, *args, now=None, **options):
        self.now = parse_datetime(now) if now else None
        if now and self.now is None:
            raise CommandError(f"--now: not an ISO date-time: {now}")
        super().handle(*args, **options)

    def task_arguments(self):
        return (self.now.isoformat(),) if self.now else ()

    def run(self):
        expired, reminded = services.expire_supplements(self.now)
        return f"expired: {len(expired)}, reminded: {len(reminded)}"
