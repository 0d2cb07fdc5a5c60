"""``manage.py load_demo``: load the demo data set (idempotent). Development settings only."""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand

from aipower.devtools.demo import load_demo_call
from aipower.registry.importer import parse_publication_date
from aipower.registry.services import current_snapshot

DEMO_REGISTRY = Path(__file__).resolve().parents[2] / "data" / "BGMOPEN1-demo.csv"


def demo_registry_published_on():
    """The demo data set's publication date (its second line, as the Ministry's file has it)."""
    with DEMO_REGISTRY.open(encoding="utf-8-sig") as lines:
        next(lines)
        return parse_publication_date(next(lines).split(",")[0])


class Command(BaseCommand):
    help = (
        "Load the demo call, registry, cards and staff, 山嵐資訊's inference award and API key, "
        "北港軟體's ended training award and its productisation survey (idempotent)."
    )

    def handle(self, *args, **options):
        call = load_demo_call()
        self.stdout.write(f"Call {call.year}: open until {call.closes_at:%Y-%m-%d %H:%M}")

        current, published_on = current_snapshot(), demo_registry_published_on()
        if current is not None and current.published_on and current.published_on > published_on:
            # A newer data set was uploaded (/staff/registry/imports/): keep it rather than
            # refuse to start; the import refuses an older file without --allow-older.
            self.stdout.write(
                f"Registry: kept the current data set (published {current.published_on}), "
                f"newer than {DEMO_REGISTRY.name} ({published_on}); to bring the demo "
                f"companies' records back: manage.py import_tax_registry {DEMO_REGISTRY} "
                "--allow-older"
            )
        else:
            call_command("import_tax_registry", str(DEMO_REGISTRY), verbosity=0)
            self.stdout.write(f"Registry: loaded {DEMO_REGISTRY.name}")

        from aipower.devtools.cards import issue_demo_cards

        cards = issue_demo_cards()
        self.stdout.write(f"Cards: {len(cards)} demo cards (PIN 123456)")

        from aipower.devtools.demo_grants import DEMO_KEY, load_demo_grants
        from aipower.gateway.models import ApiKey, hash_secret

        load_demo_grants()
        key = ApiKey.objects.get(secret_hash=hash_secret(DEMO_KEY))
        if key.is_active:
            self.stdout.write(f"Grants: 山嵐資訊 has an inference award; API key {DEMO_KEY}")
        else:
            # A revoked key stays revoked (gateway); the README's examples then answer 401.
            self.stdout.write(
                f"Grants: 山嵐資訊 has an inference award; its demo API key {DEMO_KEY} was "
                "revoked or has expired — create a key at /keys/ for the README's examples, or "
                "`make clean` and `make run` for a fresh demo"
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
