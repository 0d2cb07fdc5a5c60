"""``manage.py sync_roles``: (re)create the staff role groups and their model permissions."""

from django.core.management.base import BaseCommand

from aipower.accounts.roles import sync_role_groups


class Command(BaseCommand):
    help = "Create or update the groups operator, organiser and reviewer and their permissions."

    def handle(self, *args, **options):
        for group in sync_role_groups():
            self.stdout.write(f"{group.name}: {group.permissions.count()} permissions")
