"""``manage.py load_demo``: load the demo data set (idempotent). Development settings only."""

import datetime
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from aipower.devtools.demo import load_demo_call
from aipower.registry.services import current_snapshot

DEMO_REGISTRY = Path(__file__).resolve().parents[2] / "data" / "BGMOPEN1-demo.csv"


def demo_registry_published_on(today: datetime.date | None = None) -> datetime.date:
    """The date ``load_demo`` gives the demo data set: the first of this month — current for
    the demo, and the same file all month."""
    return (today or timezone.localdate()).replace(day=1)


def demo_registry_dated(published_on: datetime.date, directory: Path) -> Path:
    """A copy of the demo data set published on ``published_on``, under the same name.

    The demo stands in for the current data set: with the fixture's own date the staff home
    would warn, some weeks after the fixture was written, that the data set is out of date
    (``REGISTRY_STALE_DAYS``) — a warning about the demo, not about anything to do."""
    lines = DEMO_REGISTRY.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    date_line = lines[1].split(",")
    date_line[0] = published_on.strftime("%d-%b-%y").upper()
    copy = directory / DEMO_REGISTRY.name
    copy.write_text("".join([lines[0], ",".join(date_line), *lines[2:]]), encoding="utf-8-sig")
    return copy


def reviewed(award):
    """The line saying where the review that made ``award`` is seen."""
    from django.urls import reverse

    from aipower.review.models import Assignment

    application = award.application
    reviewers = Assignment.objects.filter(
        application=application, submitted_at__isnull=False
    ).order_by("reviewer__username")
    if not reviewers:
        # Made directly by a demo from before the demo's review; later runs keep the data.
        return (
            f"Review: {application.number} was awarded without a review by an earlier demo; "
            "`make clean` then `make run` for the demo's reviewed awards"
        )
    return (
        f"Review: {application.number} scored by "
        f"{', '.join(a.reviewer.username for a in reviewers)}, approved "
        f"{timezone.localtime(award.approved_at):%Y-%m-%d} "
        f"({reverse('review:meeting', args=[application.batch_id])})"
    )


class Command(BaseCommand):
    help = (
        "Load the demo call, registry, cards and staff, 山嵐資訊's inference award and API key, "
        "北港軟體's ended training award and its productisation survey — both awards reviewed "
        "by the demo reviewers and approved through the review (idempotent)."
    )

    def handle(self, *args, **options):
        call = load_demo_call()
        self.stdout.write(f"Call {call.year}: open until {call.closes_at:%Y-%m-%d %H:%M}")

        current, published_on = current_snapshot(), demo_registry_published_on()
        if current is not None and (
            current.source_name != DEMO_REGISTRY.name
            or (current.published_on and current.published_on > published_on)
        ):
            # A data set was uploaded (/staff/registry/imports/): keep it rather than replace
            # it (or refuse to start: the import refuses an older file without --allow-older).
            self.stdout.write(
                f"Registry: kept the current data set {current.source_name} (published "
                f"{current.published_on}) rather than the demo's; to bring the demo "
                f"companies' records back: manage.py import_tax_registry {DEMO_REGISTRY} "
                "--allow-older"
            )
        else:
            with tempfile.TemporaryDirectory() as directory:
                dated = demo_registry_dated(published_on, Path(directory))
                call_command("import_tax_registry", str(dated), verbosity=0)
            self.stdout.write(f"Registry: loaded {DEMO_REGISTRY.name} (published {published_on})")

        from aipower.devtools.cards import issue_demo_cards

        cards = issue_demo_cards()
        self.stdout.write(f"Cards: {len(cards)} demo cards (PIN 123456)")

        from aipower.devtools.staff import create_demo_staff

        staff = create_demo_staff()
        self.stdout.write(f"Staff: {', '.join(u.username for u in staff)}")

        from aipower.devtools.demo_grants import DEMO_KEY, load_demo_grants
        from aipower.gateway.models import ApiKey, hash_secret

        grant = load_demo_grants()
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

        closeout = load_demo_closeout()
        ended = (timezone.localdate() - closeout.ends_on).days
        self.stdout.write(
            f"After the period: 北港軟體's training award ended {ended} days ago "
            "(deliverables due, pledges to check)"
        )
        for award in (grant, closeout):
            self.stdout.write(reviewed(award))

        from aipower.followup.demo import load_demo_followup

        load_demo_followup()
        self.stdout.write("Follow-up: 115年度產品化調查（第1次） open for 北港軟體")
