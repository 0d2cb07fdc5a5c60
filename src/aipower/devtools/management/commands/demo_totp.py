"""``manage.py demo_totp``: the demo staff's current TOTP code (development only), so that a
newcomer can sign in without an authenticator app."""

from base64 import b32decode

from django.core.management.base import BaseCommand
from django_otp.oath import TOTP

from aipower.devtools.staff import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Print the demo staff's current TOTP code and how long it stays valid."

    def handle(self, *args, **options):
        totp = TOTP(b32decode(DEMO_TOTP_SECRET))
        left = totp.step - (int(totp.t0 + totp.time) % totp.step) if totp.step else 0
        self.stdout.write(f"{totp.token():06d}  (valid for about {left} more seconds)")
