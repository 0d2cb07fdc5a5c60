"""``manage.py verify_audit_chain``: re-compute the audit hash chain, report the first break."""

from django.core.management.base import BaseCommand, CommandError

from aipower.core.audit import verify_chain


class Command(BaseCommand):
    help = "Verify that the audit log's hash chain is intact; name the first broken entry."

    def handle(self, *args, **options):
        report = verify_chain()
        if not report.ok:
            entry = report.broken
            raise CommandError(
                f"audit chain broken at entry {entry.pk} ({entry}, Asia/Taipei as the audit "
                f"search shows it): {report.problem} does not match; "
                f"{report.checked} entries before it are intact"
            )
        self.stdout.write(f"audit chain intact: {report.checked} entries")
