"""``manage.py rundemo [addr:port]``: the development card component plus Django's runserver.

Starts the development card component (``DEVCARD_HOST:DEVCARD_PORT``) in a background thread,
makes sure the development CA and the demo cards exist, prints who can sign in, then serves the
site with runserver (no autoreloader: the component lives in this process).
"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from aipower.devtools.cardcomponent import CardComponent
from aipower.devtools.cards import DEMO_PIN, issue_demo_cards, list_cards

STAFF_ACCOUNTS = ("operator", "reviewer1", "reviewer2", "reviewer3", "organiser")
STAFF_PASSWORD = "aipower-demo"
STAFF_TOTP_SECRET = "JBSWY3DPEHPK3PXP"


def site_origins(addr: str, port: str) -> set[str]:
    hosts = {addr, "127.0.0.1", "localhost"} if addr in {"127.0.0.1", "localhost"} else {addr}
    if addr in {"0.0.0.0", "::"}:  # noqa: S104 - only naming what runserver was told
        hosts = {"127.0.0.1", "localhost"}
    return {f"http://{host}:{port}" for host in hosts}


class Command(BaseCommand):
    help = "Run the site with the development card component (development and demo only)."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def banner(self, site_url, component):
        lines = [
            "",
            "AI Power — demo",
            f"  Site:            {site_url}",
            f"  Card component:  {component.origin}  (development HiCOS stand-in)",
            "",
            "  Demo business-certificate cards (PIN " + DEMO_PIN + "):",
        ]
        for index, card in enumerate(list_cards(), start=1):
            lines.append(f"    {index}. {card.name}  統一編號 {card.ubn}  卡號 {card.serial}")
        lines += [
            "",
            f"  Staff sign-in: {site_url}/staff/login/",
            f"    accounts {', '.join(STAFF_ACCOUNTS)}",
            f"    password {STAFF_PASSWORD}, TOTP secret {STAFF_TOTP_SECRET}"
            f" (oathtool --totp -b {STAFF_TOTP_SECRET})",
            "",
        ]
        self.stdout.write("\n".join(lines))

    def handle(self, *args, addrport, **options):
        if not settings.DEVTOOLS_ENABLED:
            raise CommandError("rundemo needs the development settings")
        addr, _sep, port = addrport.rpartition(":")
        addr = addr or "127.0.0.1"
        if not port.isdigit():
            raise CommandError("give the address as addr:port, e.g. 127.0.0.1:8000")
        issue_demo_cards()
        component = CardComponent(
            settings.DEVCARD_HOST,
            settings.DEVCARD_PORT,
            allowed_origins=site_origins(addr, port),
        )
        try:
            component.start()
        except OSError as error:
            raise CommandError(
                f"cannot listen on {settings.DEVCARD_HOST}:{settings.DEVCARD_PORT} ({error}); "
                "is another rundemo running?"
            ) from error
        shown = "127.0.0.1" if addr in {"0.0.0.0", "::"} else addr  # noqa: S104
        self.banner(f"http://{shown}:{port}", component)
        try:
            call_command("runserver", f"{addr}:{port}", use_reloader=False)
        finally:
            component.stop()
