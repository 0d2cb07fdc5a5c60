"""Roles with least privilege: the rule predicates, the role groups, and the admin site that
only verified operators and organisers may use, with every change in our audit log.

The admin tests run against a test URLconf (``urlpatterns`` below) holding its own
``StaffAdminSite``, so they check the site's behaviour whatever ``aipower.urls`` installs;
``test_default_admin_site_is_the_staff_admin_site`` checks the real installation.
"""

import datetime
from base64 import b32encode
from io import StringIO

import pytest
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser, Group
from django.core.management import CommandError, call_command
from django.urls import path
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from aipower import urls as site_urls
from aipower.accounts import rules
from aipower.accounts.admin_site import StaffAdminSite
from aipower.accounts.enums import Role
from aipower.accounts.roles import apply_role, sync_role_groups
from aipower.calls.models import Announcement
from aipower.core.admin import AuditEntryAdmin
from aipower.core.admin_audit import AuditedModelAdmin
from aipower.core.models import AuditEntry

pytestmark = pytest.mark.integration


class AnnouncementAdmin(AuditedModelAdmin, admin.ModelAdmin):
    fields = ["title_zh", "body_zh", "published_on", "is_published"]


class AuditedTOTPDeviceAdmin(AuditedModelAdmin, TOTPDeviceAdmin):
    pass


test_site = StaffAdminSite(name="admin")
test_site.register(Announcement, AnnouncementAdmin)
test_site.register(AuditEntry, AuditEntryAdmin)
test_site.register(TOTPDevice, AuditedTOTPDeviceAdmin)

# The site's URLs with the test site in place of whatever ``admin.site`` is.
urlpatterns = [
    path("admin/", test_site.urls),
    *(pattern for pattern in site_urls.urlpatterns if str(pattern.pattern) != "admin/"),
]
admin_urls = pytest.mark.urls(__name__)

PREDICATES = [
    "is_staff_member",
    "can_manage_call",
    "can_manage_registry",
    "can_view_registry",
    "can_review_eligibility",
    "can_assign_reviewers",
    "can_view_company",
    "can_score",
    "can_decide_awards",
    "can_view_audit",
    "can_view_usage",
    "can_use_admin",
]


def make_user(django_user_model, username, role, **extra):
    user = django_user_model.objects.create_user(username, password="x" * 16, role=role, **extra)
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


def verified_session(client, user):
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()


def permission_names(group_name):
    group = Group.objects.get(name=group_name)
    return {
        f"{perm.content_type.app_label}.{perm.codename}"
        for perm in group.permissions.select_related("content_type")
    }


@pytest.fixture
def staff(django_user_model):
    users = {
        role: make_user(django_user_model, role.value, role)
        for role in (Role.OPERATOR, Role.REVIEWER, Role.ORGANISER)
    }
    sync_role_groups()
    for user in users.values():
        user.refresh_from_db()
    return users


# --- rules -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (
            Role.OPERATOR,
            {
                "is_staff_member",
                "can_manage_call",
                "can_manage_registry",
                "can_view_registry",
                "can_review_eligibility",
                "can_assign_reviewers",
                "can_view_company",
                "can_view_audit",
                "can_view_usage",
                "can_use_admin",
            },
        ),
        (Role.REVIEWER, {"is_staff_member", "can_score"}),
        (
            Role.ORGANISER,
            {
                "is_staff_member",
                "can_view_registry",
                "can_view_company",
                "can_decide_awards",
                "can_view_audit",
                "can_view_usage",
                "can_use_admin",
            },
        ),
        (Role.COMPANY, set()),
    ],
)
def test_rules_grant_each_role_only_its_work(django_user_model, role, allowed):
    user = django_user_model(username="someone", role=role)

    granted = {name for name in PREDICATES if getattr(rules, name)(user)}

    assert granted == allowed


def test_rules_refuse_anonymous_users():
    assert [getattr(rules, name)(AnonymousUser()) for name in PREDICATES] == [False] * len(
        PREDICATES
    )


def test_rules_refuse_inactive_accounts(django_user_model):
    user = django_user_model(username="gone", role=Role.ORGANISER, is_active=False)

    assert rules.can_view_audit(user) is False


# --- role groups -----------------------------------------------------------------------------


def test_sync_role_groups_gives_the_operator_configuration_and_the_lists(db):
    sync_role_groups()

    names = permission_names("operator")
    assert {
        "calls.add_call",
        "calls.change_call",
        "calls.view_call",
        "calls.change_tier",
        "calls.add_criterion",
        "calls.delete_announcement",
        "registry.add_listentry",
        "registry.change_listentry",
        "registry.delete_listentry",
        "registry.view_taxrecord",
        "registry.view_snapshot",
        "accounts.view_company",
        "core.view_auditentry",
    } <= names
    assert {
        "gateway.change_upstream",
        "gateway.add_modelroute",
        "gateway.delete_modelroute",
        "gateway.change_apikey",
        "gateway.view_meteredrequest",
    } <= names
    assert not {"gateway.add_apikey", "gateway.change_meteredrequest"} & names
    assert "calls.delete_call" not in names
    assert "calls.delete_category" not in names
    assert "registry.change_taxrecord" not in names
    assert not {n for n in names if n.startswith(("auth.", "otp_totp.", "accounts.change_"))}


def test_sync_role_groups_gives_the_organiser_view_permissions_only(db):
    sync_role_groups()

    names = permission_names("organiser")
    assert {"calls.view_call", "registry.view_listentry", "core.view_auditentry"} <= names
    assert {n.split(".")[1].split("_")[0] for n in names} == {"view"}


def test_sync_role_groups_gives_reviewers_no_model_permissions(db):
    sync_role_groups()

    assert permission_names("reviewer") == set()


def test_sync_role_groups_is_idempotent(db):
    sync_role_groups()
    first = {name: permission_names(name) for name in ("operator", "organiser", "reviewer")}

    sync_role_groups()

    assert Group.objects.filter(name__in=["operator", "organiser", "reviewer"]).count() == 3
    assert {name: permission_names(name) for name in first} == first


def test_sync_role_groups_sets_group_and_admin_flag_by_role(staff):
    assert [
        (user.is_staff, [g.name for g in user.groups.all()])
        for user in (staff[Role.OPERATOR], staff[Role.REVIEWER], staff[Role.ORGANISER])
    ] == [(True, ["operator"]), (False, ["reviewer"]), (True, ["organiser"])]


def test_apply_role_moves_a_user_whose_role_changed(staff):
    user = staff[Role.OPERATOR]
    user.role = Role.REVIEWER
    user.save()

    apply_role(user)

    user.refresh_from_db()
    assert user.is_staff is False
    assert [g.name for g in user.groups.all()] == ["reviewer"]


def test_sync_role_groups_takes_company_accounts_out_of_role_groups(staff):
    user = staff[Role.ORGANISER]
    user.role = Role.COMPANY
    user.save()

    sync_role_groups()

    user.refresh_from_db()
    assert (user.is_staff, list(user.groups.all())) == (False, [])


def test_sync_role_groups_leaves_superusers_alone(django_user_model):
    root = django_user_model.objects.create_superuser("root", password="x" * 16)

    sync_role_groups()

    root.refresh_from_db()
    assert (root.is_staff, list(root.groups.all())) == (True, [])


def test_sync_roles_command_reports_the_groups(db):
    out = StringIO()

    call_command("sync_roles", stdout=out)

    lines = out.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines] == ["operator", "reviewer", "organiser"]
    assert lines[1] == "reviewer: 0 permissions"


def test_create_staff_makes_an_account_with_a_confirmed_device(django_user_model, monkeypatch):
    monkeypatch.setenv("AIPOWER_STAFF_PASSWORD", "a-long-enough-passphrase-2026")
    out = StringIO()

    call_command("create_staff", "chen", "--role", "organiser", "--name", "陳主辦", stdout=out)

    user = django_user_model.objects.get(username="chen")
    device = TOTPDevice.objects.get(user=user)
    secret = b32encode(device.bin_key).decode()
    lines = out.getvalue().splitlines()
    assert (user.role, user.first_name, user.is_staff) == (Role.ORGANISER, "陳主辦", True)
    assert user.check_password("a-long-enough-passphrase-2026")
    assert [g.name for g in user.groups.all()] == ["organiser"]
    assert device.confirmed is True
    assert lines[:3] == ["chen (organiser)", f"TOTP secret: {secret}", device.config_url]
    assert lines[2].startswith("otpauth://totp/AI%20Power%3Achen?secret=")
    entry = AuditEntry.objects.get(action="staff.created")
    assert (entry.object_id, entry.data) == (str(user.pk), {"role": "organiser"})


def test_create_staff_refuses_a_weak_password(db, monkeypatch):
    monkeypatch.setenv("AIPOWER_STAFF_PASSWORD", "12345678")

    with pytest.raises(CommandError) as refused, translation.override("zh-hant"):
        call_command("create_staff", "lee", "--role", "operator", stdout=StringIO())

    assert str(refused.value) == "這個密碼太常見了。 這個密碼只包含數字。"
    assert not TOTPDevice.objects.exists()


def test_create_staff_new_device_replaces_the_old_one(staff):
    reviewer = staff[Role.REVIEWER]
    old = TOTPDevice.objects.get(user=reviewer)

    call_command(
        "create_staff", "reviewer", "--role", "reviewer", "--new-device", stdout=StringIO()
    )

    devices = list(TOTPDevice.objects.filter(user=reviewer))
    assert len(devices) == 1
    assert devices[0].pk != old.pk
    assert devices[0].key != old.key
    assert AuditEntry.objects.filter(action="staff.device_replaced").count() == 1


def test_create_staff_refuses_an_existing_account(staff):
    with pytest.raises(CommandError, match="exists"):
        call_command("create_staff", "operator", "--role", "operator", stdout=StringIO())


# --- the admin site --------------------------------------------------------------------------


def test_default_admin_site_is_the_staff_admin_site():
    assert isinstance(admin.site, StaffAdminSite)


@admin_urls
def test_admin_sends_anonymous_visitors_to_the_staff_login(client, db):
    response = client.get("/admin/", follow=True)

    assert response.redirect_chain == [
        ("/admin/login/?next=/admin/", 302),
        ("/staff/login/?next=/admin/", 302),
    ]
    assert response.templates[0].name == "accounts/staff/login.html"


@admin_urls
def test_admin_refuses_a_password_only_session(client, staff):
    client.force_login(staff[Role.OPERATOR])

    response = client.get("/admin/", follow=True)

    assert response.redirect_chain[-1] == ("/staff/login/?next=/admin/", 302)


@admin_urls
def test_admin_forbids_a_verified_reviewer(client, staff):
    verified_session(client, staff[Role.REVIEWER])

    response = client.get("/admin/", follow=True)

    assert response.redirect_chain == [("/admin/login/?next=/admin/", 302)]
    assert response.status_code == 403


@admin_urls
def test_admin_forbids_a_verified_company_account(client, django_user_model):
    company_user = make_user(django_user_model, "co", Role.COMPANY, is_staff=True)
    verified_session(client, company_user)

    response = client.get("/admin/", follow=True)

    assert response.status_code == 403


@admin_urls
def test_admin_opens_for_a_verified_operator(client, staff):
    verified_session(client, staff[Role.OPERATOR])

    response = client.get("/admin/")

    assert response.status_code == 200
    assert "AI算力平台管理設定" in response.content.decode()


@admin_urls
def test_admin_login_url_sends_a_verified_operator_to_the_index(client, staff):
    verified_session(client, staff[Role.OPERATOR])

    response = client.get("/admin/login/")

    assert response.status_code == 302
    assert response.url == "/admin/"


@admin_urls
def test_admin_lets_the_organiser_read_but_not_write(client, staff):
    verified_session(client, staff[Role.ORGANISER])

    audit_log = client.get("/admin/core/auditentry/")
    announcements = client.get("/admin/calls/announcement/")
    add = client.get("/admin/calls/announcement/add/")

    assert (audit_log.status_code, announcements.status_code, add.status_code) == (200, 200, 403)


@admin_urls
def test_admin_logout_is_the_staff_logout(client, staff):
    verified_session(client, staff[Role.OPERATOR])

    response = client.post("/admin/logout/")

    assert response.status_code == 302
    assert response.url == "/staff/login/"
    assert AuditEntry.objects.filter(action="staff.logout").count() == 1


@admin_urls
def test_admin_changes_are_written_to_the_audit_log(client, staff):
    operator = staff[Role.OPERATOR]
    verified_session(client, operator)
    form = {
        "title_zh": "收件開始",
        "body_zh": "即日起受理申請。",
        "published_on": "2026-05-01",
        "is_published": "on",
    }

    client.post("/admin/calls/announcement/add/", form)
    announcement = Announcement.objects.get()
    client.post(
        f"/admin/calls/announcement/{announcement.pk}/change/",
        {**form, "title_zh": "收件開始（更新）"},
    )
    client.post(f"/admin/calls/announcement/{announcement.pk}/delete/", {"post": "yes"})

    entries = list(AuditEntry.objects.filter(action__startswith="admin.").order_by("id"))
    assert [e.action for e in entries] == ["admin.add", "admin.change", "admin.delete"]
    assert {(e.actor, e.object_type, e.object_id) for e in entries} == {
        (operator, "calls.Announcement", str(announcement.pk))
    }
    assert entries[0].data["after"]["title_zh"] == "收件開始"
    assert entries[0].data["after"]["published_on"] == "2026-05-01"
    assert entries[1].data["fields"] == ["title_zh"]
    assert entries[1].data["before"] == {"title_zh": "收件開始"}
    assert entries[1].data["after"] == {"title_zh": "收件開始（更新）"}
    assert entries[2].data["repr"] == "收件開始（更新）"
    assert Announcement.objects.count() == 0


@admin_urls
def test_admin_bulk_delete_is_written_to_the_audit_log(client, staff):
    verified_session(client, staff[Role.OPERATOR])
    first, second = (
        Announcement.objects.create(
            title_zh=title, body_zh="內容", published_on=datetime.date(2026, 5, 1)
        )
        for title in ("一", "二")
    )

    client.post(
        "/admin/calls/announcement/",
        {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"},
    )

    deleted = AuditEntry.objects.filter(action="admin.delete").order_by("object_id")
    assert [e.object_id for e in deleted] == sorted([str(first.pk), str(second.pk)])
    assert Announcement.objects.count() == 0


@admin_urls
def test_admin_audit_redacts_secret_fields(client, django_user_model):
    root = make_user(django_user_model, "root", Role.OPERATOR, is_staff=True, is_superuser=True)
    verified_session(client, root)
    device = TOTPDevice.objects.get(user=root)
    old_key = device.key
    new_key = "ab" * 20

    response = client.post(
        f"/admin/otp_totp/totpdevice/{device.pk}/change/",
        {
            "user": root.pk,
            "name": "phone",
            "confirmed": "on",
            "key": new_key,
            "step": 30,
            "t0": 0,
            "digits": 6,
            "tolerance": 1,
            "drift": 0,
            "last_t": -1,
            "throttling_failure_count": 0,
        },
    )

    entry = AuditEntry.objects.get(action="admin.change")
    assert response.status_code == 302
    assert "key" in entry.data["fields"]
    assert entry.data["before"]["key"] == "[redacted]"
    assert entry.data["after"]["key"] == "[redacted]"
    assert old_key not in str(entry.data)
    assert new_key not in str(entry.data)


def test_create_staff_can_mail_a_link_so_nobody_else_learns_the_password(django_user_model):
    from django.core import mail

    out = StringIO()

    call_command(
        "create_staff",
        "chen",
        "--role",
        "organiser",
        "--email",
        "chen@example.org",
        "--mail-link",
        "https://aipower.example/",
        stdout=out,
    )

    user = django_user_model.objects.get(username="chen")
    assert not user.has_usable_password()
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert user.is_staff and [g.name for g in user.groups.all()] == ["organiser"]
    assert mail.outbox[0].to == ["chen@example.org"]
    assert "https://aipower.example/staff/enrol/" in mail.outbox[0].body
    assert "/staff/enrol/" not in out.getvalue()
    assert "TOTP secret" not in out.getvalue()
