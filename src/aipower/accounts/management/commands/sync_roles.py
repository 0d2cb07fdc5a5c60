"""``manage.py sync_roles``: (re)create the staff role groups and their model permissions.

A run is in the audit log ("staff.roles_synced"): it decides what every staff member may do,
so the log names, for each role's group, the permissions it added and removed."""

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from aipower.accounts.enums import STAFF_ROLES
from aipower.accounts.roles import sync_role_groups
from aipower.core import audit


def _permissions():
    """{group: {"app.codename", …}} of the role groups as they stand."""
    held = {role.value: set() for role in STAFF_ROLES}
    rows = Group.objects.filter(name__in=held).values_list(
        "name", "permissions__content_type__app_label", "permissions__codename"
    )
    for name, app_label, codename in rows:
        if codename:
            held[name].add(f"{app_label}.{codename}")
    return held


class Command(BaseCommand):
    help = "Create or update the groups operator, organiser and reviewer and their permissions."

    def handle(self, *args, **options):
        with transaction.atomic():
            before = _permissions()
            groups = sync_role_groups()
            after = _permissions()
            for group in groups:
                audit.record(
                    "staff.roles_synced",
                    obj=group,
                    via="manage.py sync_roles",
                    added=sorted(after[group.name] - before[group.name]),
                    removed=sorted(before[group.name] - after[group.name]),
                )
        for group in groups:
            self.stdout.write(f"{group.name}: {group.permissions.count()} permissions")
