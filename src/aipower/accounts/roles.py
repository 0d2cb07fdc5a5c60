"""Django groups for the staff roles, with least-privilege model permissions for the admin.

``sync_role_groups()`` (idempotent) makes the groups "operator", "organiser" and "reviewer" hold
exactly the permissions of ``ROLE_PERMISSIONS``, puts every staff user in the group of their role
and sets ``is_staff`` (admin access) only for the roles that use the admin. Run it after each
migration that adds models (``manage.py sync_roles``); models that do not exist yet are skipped,
so the table can name apps that later issues add.
"""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q

from .enums import STAFF_ROLES, Role
from .rules import ADMIN_USERS

VIEW = ("view",)
EDIT = ("add", "change", "view")
ALL = ("add", "change", "delete", "view")

# Targets are "app_label" (every model of the app) or "app_label.model_name".
ROLE_PERMISSIONS = {
    Role.OPERATOR: {
        # Configuration of the call; deleting a call or its parts would cascade into
        # applications, so only announcements may be deleted.
        "calls": EDIT,
        "calls.announcement": ALL,
        # The operator keeps the lists; the imported tax data is read-only.
        "registry": VIEW,
        "registry.listentry": ALL,
        "accounts.company": VIEW,
        "core.auditentry": VIEW,
        "applications": VIEW,
        # Review: read the workflow's records; edit mail templates, budgets, reviewer profiles.
        "review": VIEW,
        "review.notificationtemplate": EDIT,
        "review.budget": EDIT,
        "review.reviewerprofile": EDIT,
        # Points: read the ledger; suspend/reinstate allowances and revoke cluster tokens.
        "grants": VIEW,
        "grants.allowance": ("change", "view"),
        "grants.clustertoken": ("change", "view"),
        # Violations are recorded and decided on /staff/compliance/; the admin only lists them.
        "compliance": VIEW,
        "deliverables": VIEW,
        "privacy": VIEW,
        # The API: route catalogue models to upstream servers; revoke or limit a company's key
        # (keys are made by the companies); the metering records are read-only.
        "gateway": VIEW,
        "gateway.upstream": EDIT,
        "gateway.modelroute": ALL,
        "gateway.apikey": ("change", "view"),
    },
    Role.ORGANISER: {
        "calls": VIEW,
        "registry": VIEW,
        "accounts.company": VIEW,
        "core.auditentry": VIEW,
        "applications": VIEW,
        "review": VIEW,
        "grants": VIEW,
        "compliance": VIEW,
        "deliverables": VIEW,
        "privacy": VIEW,
        "gateway": VIEW,
    },
    # Reviewers work only in the review pages, never in the admin.
    Role.REVIEWER: {},
}


def _models_for(target):
    app_label, _, model_name = target.partition(".")
    try:
        config = apps.get_app_config(app_label)
    except LookupError:
        return []
    if not model_name:
        return list(config.get_models())
    try:
        return [config.get_model(model_name)]
    except LookupError:
        return []


def permissions_for(role):
    """The Permission rows a role's group must hold (a set)."""
    wanted = set()
    for target, actions in ROLE_PERMISSIONS.get(role, {}).items():
        for model in _models_for(target):
            content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
            for action in actions:
                codename = f"{action}_{model._meta.model_name}"
                wanted.add((content_type.pk, codename))
    if not wanted:
        return set()
    by_key = {
        (perm.content_type_id, perm.codename): perm
        for perm in Permission.objects.filter(
            content_type_id__in={ct for ct, _ in wanted},
            codename__in={codename for _, codename in wanted},
        )
    }
    return {by_key[key] for key in wanted if key in by_key}


def apply_role(user):
    """Give ``user`` the group and admin flag of their role (and no other role's group)."""
    groups = {group.name: group for group in Group.objects.filter(name__in=STAFF_ROLES)}
    wanted = groups.get(user.role)
    user.groups.remove(*[group for name, group in groups.items() if group != wanted])
    if wanted is not None:
        user.groups.add(wanted)
    is_staff = user.role in ADMIN_USERS
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])


@transaction.atomic
def sync_role_groups():
    """Create or update the role groups and every user's membership; return the groups."""
    for config in apps.get_app_configs():
        create_permissions(config, verbosity=0)
    groups = []
    for role in STAFF_ROLES:
        group, _ = Group.objects.get_or_create(name=role.value)
        group.permissions.set(permissions_for(role))
        groups.append(group)
    # Superusers are left as they are: they are created by hand, for emergencies.
    users = get_user_model().objects.filter(Q(role__in=STAFF_ROLES) | Q(groups__in=groups))
    for user in users.exclude(is_superuser=True).distinct():
        apply_role(user)
    return groups
