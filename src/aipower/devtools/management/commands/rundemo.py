"""``manage.py rundemo [addr:port]``: the development card component, the mock model server and
the site under uvicorn.

Starts the development card component (``DEVCARD_HOST:DEVCARD_PORT``) and the mock
OpenAI-compatible model server (``MOCKLLM_HOST:MOCKLLM_PORT``, default 127.0.0.1:8001) in
background threads, makes sure the development CA and the demo cards exist, prints who can sign
in, then serves the site as production lays it out — the gateway's lean app on ``/v1`` beside
Django (``aipower.devtools.asgi``) — under uvicorn, so that a streamed answer arrives token by
token (runserver, being WSGI, sent it in one piece at the end). No autoreloader: the component
lives in this process.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from aipower.devtools.cardcomponent import CardComponent
from aipower.devtools.cards import DEMO_PIN, issue_demo_cards, list_cards
from aipower.devtools.demo_grants import DEMO_COMPANY, DEMO_KEY
from aipower.devtools.mockllm import MockServer
from aipower.devtools.staff import DEMO_PASSWORD, DEMO_STAFF, DEMO_TOTP_SECRET

# What the banner says is what load_demo creates.
STAFF_ACCOUNTS = tuple(username for username, _role, _name in DEMO_STAFF)
STAFF_PASSWORD = DEMO_PASSWORD
STAFF_TOTP_SECRET = DEMO_TOTP_SECRET


def serve(addr: str, port: int):
    """Serve the site under uvicorn until interrupted (Ctrl-C)."""
    import uvicorn

    from aipower.devtools.asgi import application

    config = uvicorn.Config(
        application, host=addr, port=port, lifespan="on", proxy_headers=False, log_level="info"
    )
    uvicorn.Server(config).run()


def site_origins(addr: str, port: str) -> set[str]:
    hosts = {addr, "127.0.0.1", "localhost"} if addr in {"127.0.0.1", "localhost"} else {addr}
    if addr in {"0.0.0.0", "::"}:  # noqa: S104 - only naming what the server was told
        hosts = {"127.0.0.1", "localhost"}
    return {f"http://{host}:{port}" for host in hosts}


class Command(BaseCommand):
    help = "Run the site with the development card component (development and demo only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "addrport",
            nargs="?",
            default="127.0.0.1:8000",
            help=(
                "the site's address (default 127.0.0.1:8000; `make run HOST=… PORT=…`). The card "
                "component listens on AIPOWER_DEVCARD_HOST:AIPOWER_DEVCARD_PORT (default "
                "127.0.0.1:61161), the mock model server on "
                "AIPOWER_MOCKLLM_HOST:AIPOWER_MOCKLLM_PORT (default 127.0.0.1:8001)"
            ),
        )

    def banner(self, site_url, component, mock=None):
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
            f"    password {STAFF_PASSWORD}, TOTP secret {STAFF_TOTP_SECRET}",
            "    current TOTP code: .venv/bin/python manage.py demo_totp",
            "",
        ]
        if mock is not None:
            lines += [
                f"  Inference API:   {site_url}/v1  (OpenAI-compatible; keys at {site_url}/keys/)",
                f"    demo key {DEMO_KEY} ({DEMO_COMPANY}, development only)",
                f"  Mock model server: {mock.base_url}",
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
                "is another rundemo running? Stop it, or give this one other ports: "
                "make run PORT=8765 AIPOWER_DEVCARD_PORT=61162 AIPOWER_MOCKLLM_PORT=8002"
            ) from error
        mock = MockServer(
            getattr(settings, "MOCKLLM_HOST", "127.0.0.1"), getattr(settings, "MOCKLLM_PORT", 8001)
        )
        try:
            mock.start()
        except OSError as error:
            self.stderr.write(
                f"Mock model server not started: {error}. The demo API (/v1) now goes to whatever "
                f"listens on {mock.host}:{mock.port}; give the mock a free port with "
                "AIPOWER_MOCKLLM_PORT=… (make run loads the demo route with it too)."
            )
            mock = None
        shown = "127.0.0.1" if addr in {"0.0.0.0", "::"} else addr  # noqa: S104
        self.banner(f"http://{shown}:{port}", component, mock)
        self.check_migrations()
        try:
            serve(addr.strip("[]"), int(port))
        finally:
            if mock is not None:
                mock.stop()
            component.stop()
