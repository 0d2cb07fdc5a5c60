"""``manage.py run_review_deadlines``: enqueue the supplement-deadline task (safe to repeat)."""

from django.core.management.base import BaseCommand

from aipower.review.tasks import expire_supplements_task


class Command(BaseCommand):
    help = (
        "Turn supplements not answered by their deadline into 「不予受理」 (with notice) and "
        "remind those due soon. Idempotent: run it as often as you like."
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", help="ISO date-time to judge deadlines by (testing)")

    def handle(self, *args, now=None, **options):
        result = expire_supplements_task.enqueue(now)
        if result.is_finished:
            value = result.return_value
            self.stdout.write(
                f"expired: {len(value['expired'])}, reminded: {len(value['reminded'])}"
            )
        else:
            self.stdout.write(f"enqueued task {result.id}")
