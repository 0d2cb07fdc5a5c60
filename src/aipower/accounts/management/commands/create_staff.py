"""``manage.py create_staff USERNAME --role organiser``: the first staff accounts.

How the first staff accounts come to exist in production (``createsuperuser`` makes no role and
no second factor); the others are made on the staff accounts page (``accounts.enrolment``).

With ``--mail-link https://SITE --email ADDRESS`` the account gets no password and no device:
the one-time enrolment link is mailed to the member, who sets both, as on the page, and the
person running the command never learns either. Without it, the password is asked for (or read
from ``AIPOWER_STAFF_PASSWORD`` when not on a terminal) and checked by the password validators,
and the TOTP secret is printed once, as an ``otpauth://`` URL and a QR code, to be handed to
the staff member in person. ``--new-device`` replaces the devices of an existing account (a
lost phone, when no organiser can send a new link).
"""

import getpass
import io
import os
import sys
from base64 import b32encode

import qrcode
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from aipower.accounts import enrolment as enrolment_service
from aipower.accounts.enums import STAFF_ROLES
from aipower.accounts.roles import sync_role_groups
from aipower.core import audit

PASSWORD_ENV = "AIPOWER_STAFF_PASSWORD"  # noqa: S105 - a variable name, not a password


class Command(BaseCommand):
    help = "Create a staff account (operator, reviewer, organiser) with its TOTP device."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=[r.value for r in STAFF_ROLES])
        parser.add_argument("--name", default="", help="Display name (shown on the staff pages).")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--mail-link",
            metavar="SITE_URL",
            default="",
            help="Mail a one-time enrolment link on this site to --email instead (no password).",
        )
        parser.add_argument(
            "--new-device",
            action="store_true",
            help="The account exists: replace its TOTP devices (and keep its password).",
        )

    @transaction.atomic
    def handle(self, *args, username, role, name, email, new_device, mail_link, **options):
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if mail_link:
            self._mail_link(user, username, role, name, email, mail_link)
            return
        if new_device:
            if user is None or not user.is_staff_member:
                raise CommandError(f"No staff account {username!r}.")
            TOTPDevice.objects.filter(user=user).delete()
            action = "staff.device_replaced"
        else:
            if user is not None:
                raise CommandError(f"{username!r} exists; use --new-device for a new TOTP device.")
            user = User(username=username, role=role, first_name=name, email=email)
            password = self._password()
            try:
                validate_password(password, user)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
            user.set_password(password)
            user.save()
            action = "staff.created"

        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
        sync_role_groups()  # also gives the user their role's group and admin flag
        audit.record(action, obj=user, role=user.role)

        self.stdout.write(f"{user.username} ({user.role})")
        self.stdout.write(f"TOTP secret: {b32encode(device.bin_key).decode()}")
        self.stdout.write(device.config_url)
        code = qrcode.QRCode(border=1)
        code.add_data(device.config_url)
        picture = io.StringIO()
        code.print_ascii(out=picture)
        self.stdout.write(picture.getvalue(), ending="")

    def _mail_link(self, user, username, role, name, email, site):
        if user is not None:
            raise CommandError(f"{username!r} exists: send it a new link on the staff page.")
        if not email:
            raise CommandError("--mail-link needs --email (where the link is sent).")
        user = get_user_model()(username=username, role=role, first_name=name, email=email)
        user.set_unusable_password()
        user.save()
        sync_role_groups()
        audit.record("staff.created", obj=user, role=user.role)
        enrolment, token = enrolment_service.issue(user)
        enrolment_service.mail_link(site, enrolment, token)
        self.stdout.write(f"{user.username} ({user.role})")
        self.stdout.write(f"Enrolment link mailed to {email}, valid until {enrolment.expires_at}.")

    def _password(self):
        if not sys.stdin.isatty():
            password = os.environ.get(PASSWORD_ENV, "")
            if not password:
                raise CommandError(f"Not on a terminal: give the password in {PASSWORD_ENV}.")
            return password
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The passwords differ.")
        return password
