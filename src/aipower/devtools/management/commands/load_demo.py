"""``manage.py load_demo``: load the demo data set (idempotent). Development settings only."""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand

from aipower.devtools.demo import load_demo_call

DEMO_REGISTRY = Path(__file__).resolve().parents[2] / "data" / "BGMOPEN1-demo.csv"


class Command(BaseCommand):
    help = (
        "Load the demo call, registry, cards and staff, 山嵐資訊's inference award and API key, "
        "北港軟體's ended training award and its productisation survey (idempotent)."
    )

    def handle(self, *args, **options):
        call = load_demo_call()
        self.stdout.write(f"Call {call.year}: open until {call.closes_at:%Y-%m-%d %H:%M}")

        call_command("import_tax_registry", str(DEMO_REGISTRY), verbosity=0)
        self.stdout.write(f"Registry: loaded {DEMO_REGISTRY.name}")

        from aipower.devtools.cards import issue_demo_cards

        cards = issue_demo_cards()
        self.stdout.write(f"Cards: {len(cards)} demo cards (PIN 123456)")

        from aipower.devtools.demo_grants import load_demo_grants

        load_demo_grants()
        self.stdout.write(
            "Grants: 山嵐資訊 has an inference award; API key sk-aipower-demo-0000000000000000"
        )

        from aipower.devtools.demo_closeout import load_demo_closeout

        load_demo_closeout()
        self.stdout.write(
            "After the period: 北港軟體's training award ended 10 days ago "
            "(deliverables due, pledges to check)"
        )

        from aipower.followup.demo import load_demo_followup

        load_demo_followup()
        self.stdout.write("Follow-up: 115年度產品化調查（第1次） open for 北港軟體")

        from aipower.devtools.staff import create_demo_staff

        staff = create_demo_staff()
        self.stdout.write(f"Staff: {', '.join(u.username for u in staff)}")
