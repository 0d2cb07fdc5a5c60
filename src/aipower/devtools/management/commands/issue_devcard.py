"""``manage.py issue_devcard <統一編號> <公司名稱> [--pin 123456]``: a development card for any
company, issued by the development CA and presented by the development card component."""

from django.core.management.base import BaseCommand, CommandError

from aipower.core.validators import is_valid_ubn
from aipower.devtools.cards import DEMO_PIN, issue_card


class Command(BaseCommand):
    help = "Issue a development business-certificate card (key, certificate, PIN) for a company."

    def add_arguments(self, parser):
        parser.add_argument("ubn", help="統一編號 (8 digits, valid check digit)")
        parser.add_argument("name", help="公司名稱 as the certificate's O attribute")
        parser.add_argument("--pin", default=DEMO_PIN, help="the card's PIN (default 123456)")
        parser.add_argument(
            "--allow-invalid-ubn",
            action="store_true",
            help="issue even with a wrong check digit (to try the login's refusal)",
        )

    def handle(self, *args, ubn, name, pin, allow_invalid_ubn, **options):
        if not (ubn.isascii() and ubn.isdigit() and len(ubn) == 8):
            raise CommandError("統一編號 must be 8 digits")
        if not is_valid_ubn(ubn) and not allow_invalid_ubn:
            raise CommandError("統一編號 check digit is wrong (use --allow-invalid-ubn to insist)")
        if not pin:
            raise CommandError("the PIN must not be empty")
        card = issue_card(ubn, name, pin=pin)
        self.stdout.write(
            f"Card {card.serial} for {card.name} ({card.ubn}) in {card.directory} "
            f"(PIN {'123456' if pin == DEMO_PIN else 'as given'})"
        )
