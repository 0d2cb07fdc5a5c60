"""The shape of the scheduled jobs' commands (``run_compliance``, ``send_due_mails``, …): run the
job here and print what it did, or, with ``--enqueue``, hand its task to the worker.

A command names its ``task`` (a ``django_tasks`` task) and says how to ``run`` the job here
(returning the line to print); cron runs either form (docs/operations.md)."""

from django.core.management.base import BaseCommand


class JobCommand(BaseCommand):
    task = None  # the job's task, enqueued by --enqueue

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="queue the task instead of running it here"
        )

    def run(self) -> str:
        """Do the job now; what to print."""
        raise NotImplementedError

    def task_arguments(self) -> tuple:
        """What ``--enqueue`` passes to the task."""
        return ()

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            result = self.task.enqueue(*self.task_arguments())
            self.stdout.write(f"queued {result.id}")
            return
        self.stdout.write(self.run())
