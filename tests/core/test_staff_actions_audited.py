"""Every staff action is in the audit log: each thing a staff member can do is declared here with
the audit codes it writes, and the code that does it is checked to reach them.

- every URL a staff member may POST to (``test_url_access.ACCESS``): a new one fails until it is
  declared, with the codes its successful POST writes, or as a page whose POST only shows it;
- every URL a staff member may GET: a download, an export or a page of personal data with the
  codes its GET writes, or a page (reading a staff page is not an action);
- every admin that lets anyone add, change or delete goes through ``AuditedModelAdmin``, or is
  a read-only admin whose few writes (its actions, its own views) are declared with their codes;
- every admin list action and every admin page of its own, with its codes;
- every management command of the project: the codes of those a person runs to change data,
  or why it has none (a scheduled job, a development tool, a check).

"Reaches" is the static call graph of ``tests/core/audit_reach.py``: the view, action or command
calls (directly or through the services it names) a function that records the code. Removing
the ``audit.record`` of an action fails here; each app's tests assert the entry's actor, object
and details for real requests (a code no test reads fails here too).
"""

from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.core.management import get_commands, load_command_class
from django.test import RequestFactory
from django.urls import resolve

from aipower.accounts.models import User
from aipower.core.admin_audit import AuditedModelAdmin
from aipower.core.audit_labels import ACTION_LABELS
from tests.core.audit_reach import reachable_codes
from tests.core.test_url_access import ACCESS, ROUTES, STAFF, TOKEN, concrete

pytestmark = pytest.mark.unit

#: A page whose POST (allowed, as the matrix says) changes nothing: it shows the page (and
#: writes what its GET writes, declared with the codes when there is one).
SHOWS = ()

STAFF_POSTS = {
    "staff:home": SHOWS,
    "staff:password_change": {"staff.password_changed"},
    "staff:accounts": {"staff.created", "staff.enrolment_issued"},
    "staff:account_action": {
        "staff.enrolment_issued",
        "staff.deactivated",
        "staff.reactivated",
        "staff.role_changed",
    },
    "registry:imports": {"registry.import_uploaded"},
    "review:index": SHOWS,
    "review:mine": SHOWS,
    "review:audit": SHOWS,
    "review:batch": SHOWS,
    "review:meeting": SHOWS,
    "review:affiliations": {"review.affiliations_updated"},
    "review:assignment": {
        "review.conflict_declared",
        "review.scores_saved",
        "review.scores_submitted",
    },
    "review:batch_freeze": {"review.batch_frozen", "application.transition"},
    "review:batch_remind": {"review.reviewers_reminded"},
    "review:meeting_csv": {"review.meeting_exported"},
    "review:meeting_xlsx": {"review.meeting_exported"},
    "review:batch_approve": {"review.batch_approved", "review.award_created"},
    "review:batch_award_start": {"review.award_start_set"},
    "review:application_eligibility": {"application.transition"},
    "review:application_startup_priority": {"review.startup_priority_settled"},
    "review:application_assign": {"review.assigned"},
    "review:application_decision": {"review.decision_staged"},
    "review:application_override": {"review.points_overridden"},
    "review:application_send_back": {"review.decision_sent_back"},
    "review:assignment_reopen": {"review.scores_reopened"},
    "review:assignment_clear_flag": {"review.conflict_flag_cleared"},
    "review:assignment_unassign": {"review.unassigned"},
    "compliance:index": SHOWS,
    "compliance:pledges": SHOWS,
    "compliance:csv": {"compliance.exported"},
    "compliance:record": {"compliance.violation_recorded"},
    "compliance:detail": {"compliance.violation_decided"},
    "compliance:reinstate": {"compliance.suspension_lifted"},
    "compliance:check_pledge": {"compliance.pledge_checked"},
    "deliverables_staff:index": SHOWS,
    "deliverables_staff:detail": SHOWS,
    "deliverables_staff:print": {"deliverables.printed"},
    "deliverables_staff:csv": {"deliverables.exported"},
    "deliverables_staff:attendance": {"deliverables.demo_attendance"},
    "deliverables_staff:download": {"deliverables.downloaded"},
    "followup_staff:index": SHOWS,
    "followup_staff:round": SHOWS,
    "followup_staff:open": {"followup.round_opened"},
    "followup_staff:change": {"followup.round_changed"},
    "followup_staff:print": {"followup.printed"},
    "followup_staff:csv": {"followup.exported"},
    "followup_staff:response": {"followup.response_viewed"},
    "privacy_staff:index": {"privacy.requests_listed"},
    "privacy_staff:new": {"privacy.request_filed"},
    "privacy_staff:detail": {"privacy.request_viewed"},
    "privacy_staff:transition": {"privacy.request_state"},
    "privacy_staff:correct": {"privacy.profile_corrected"},
    "privacy_staff:erase": {"privacy.personal_data_erased", "privacy.request_state"},
    "privacy_staff:copy": {"privacy.copy_downloaded"},
    "mail_staff:index": {"mail.list_viewed"},
    "mail_staff:detail": {"mail.view"},
    "mail_staff:resend": {"mail.resend"},
}

#: A staff page whose GET is only read (the company's registry data, the lists, the forms):
#: reading a staff page is not an action.
PAGE = ()

#: Every URL a staff member may GET: the downloads, exports and pages of personal data with
#: the codes their GET writes, every other one as a page.
STAFF_GETS = {
    "staff:home": PAGE,
    "staff:accounts": PAGE,
    "staff:password_change": PAGE,
    "registry:company_search": PAGE,
    "registry:company": PAGE,
    "registry:snapshots": PAGE,
    "registry:imports": PAGE,
    "registry:import_job": PAGE,
    "registry:import_status": PAGE,
    "review:index": PAGE,
    "review:mine": PAGE,
    "review:affiliations": PAGE,
    "review:audit": PAGE,
    "review:batch": PAGE,
    "review:meeting": PAGE,
    "review:meeting_csv": {"review.meeting_exported"},
    "review:meeting_xlsx": {"review.meeting_exported"},
    "review:application": {"review.application_viewed"},
    "review:application_print": {"review.application_printed"},
    "review:application_pdf": {"review.application_pdf"},
    "review:assignment": {"review.assignment_viewed"},
    "compliance:index": PAGE,
    "compliance:detail": PAGE,
    "compliance:record": PAGE,
    "compliance:pledges": PAGE,
    "compliance:csv": {"compliance.exported"},
    "deliverables_staff:index": PAGE,
    "deliverables_staff:detail": PAGE,
    "deliverables_staff:print": {"deliverables.printed"},
    "deliverables_staff:csv": {"deliverables.exported"},
    "deliverables_staff:download": {"deliverables.downloaded"},
    "followup_staff:index": PAGE,
    "followup_staff:open": PAGE,
    "followup_staff:round": PAGE,
    "followup_staff:change": PAGE,
    "followup_staff:print": {"followup.printed"},
    "followup_staff:csv": {"followup.exported"},
    "followup_staff:response": {"followup.response_viewed"},
    "privacy_staff:index": {"privacy.requests_listed"},
    "privacy_staff:new": PAGE,
    "privacy_staff:detail": {"privacy.request_viewed"},
    "privacy_staff:correct": {"privacy.profile_viewed"},
    "privacy_staff:copy": {"privacy.copy_downloaded"},
    "mail_staff:index": {"mail.list_viewed"},
    "mail_staff:detail": {"mail.view"},
    "grants_staff:usage": {"grants.usage_exported"},  # its CSV
}

#: Admins that are not ``AuditedModelAdmin`` yet write: each write declared, with its codes.
#: ``change`` is their change permission, held for the actions (every field stays read-only).
SERVICE_ADMINS = {
    "grants.Allowance": {"change"},
    "grants.ClusterToken": {"add", "change"},
}

#: Admin list actions and admin pages of their own (``get_urls``), by model and name.
ADMIN_WRITES = {
    ("calls.Call", "copy_to_next_year"): {"admin.add"},
    ("grants.Allowance", "reinstate"): {"grants.state"},
    ("grants.Allowance", "grants_allowance_adjust"): {"grants.adjust"},
    ("grants.ClusterToken", "add_view"): {"grants.issue_cluster_token"},
    ("grants.ClusterToken", "issue_new"): {"grants.issue_cluster_token"},
    ("grants.ClusterToken", "revoke"): {"grants.revoke_cluster_token"},
    ("grants.ClusterToken", "revoke_previous"): {"grants.revoke_previous_cluster_token"},
    # The TOTP device's configuration and QR code: its secret shown (django_otp's pages).
    ("otp_totp.TOTPDevice", "otp_totp_totpdevice_config"): {"staff.device_secret_viewed"},
    ("otp_totp.TOTPDevice", "otp_totp_totpdevice_qrcode"): {"staff.device_secret_viewed"},
}
#: Pages other packages' admins add: what they write goes through our audited admin's hooks.
OTHER_PACKAGES_ADMIN_PAGES = {
    # Django's 變更密碼 of a user: its ``log_change`` is ``AuditedModelAdmin``'s (admin.change).
    ("accounts.User", "auth_user_password_change"),
}

SCHEDULED = "scheduled: the system's, run by the scheduler, not a person's action"
DEVELOPMENT = "development and demonstration data only (devtools, never in production)"
CHECK = "reads and reports only"
COMMANDS = {
    "create_cluster_token": {"grants.issue_cluster_token"},
    "create_staff": {"staff.created", "staff.device_replaced", "staff.enrolment_issued"},
    "import_sacct": {"grants.import_sacct"},
    "import_tax_registry": {"registry.imported"},
    "seed_call": {"calls.seeded"},
    "sync_roles": {"staff.roles_synced"},
    "generate_tax_registry": DEVELOPMENT,  # writes a synthetic data set file, not the database
    "demo_totp": DEVELOPMENT,
    "issue_devcard": DEVELOPMENT,
    "load_demo": DEVELOPMENT,
    "rundemo": DEVELOPMENT,
    "verify_audit_chain": CHECK,
    "prune_form_uses": SCHEDULED,
    "run_compliance": SCHEDULED,
    "run_deliverables_reminders": SCHEDULED,
    "run_followup_reminders": SCHEDULED,
    "run_grant_housekeeping": SCHEDULED,
    "run_review_deadlines": SCHEDULED,
    "send_due_mails": SCHEDULED,
    "sweep_deliverables": SCHEDULED,
    "sweep_reservations": SCHEDULED,
}


def staff_post_routes():
    """The routes a staff member may POST to, the sign-in pages (anyone's) aside."""
    return {
        name
        for name, (_get, post) in ACCESS.items()
        if post not in (None, TOKEN) and post & STAFF and "anonymous" not in post
    }


def staff_get_routes():
    return {
        name
        for name, (get, _post) in ACCESS.items()
        if get not in (None, TOKEN) and get & STAFF and "anonymous" not in get
    }


def view_of(name):
    return resolve(concrete(ROUTES[name])).func


def test_every_staff_post_route_is_declared():
    declared = set(STAFF_POSTS)
    routes = staff_post_routes()

    assert routes - declared == set(), "declare what a successful POST writes to the audit log"
    assert declared - routes == set(), "declared routes no staff member may POST to"


@pytest.mark.parametrize("name", sorted(name for name, codes in STAFF_POSTS.items() if codes))
def test_a_staff_post_route_reaches_its_audit_codes(name):
    missing = set(STAFF_POSTS[name]) - reachable_codes(view_of(name))

    assert missing == set(), f"{name}: no audit entry written for these"


def test_every_staff_get_route_is_declared():
    declared = set(STAFF_GETS)
    routes = staff_get_routes()

    assert routes - declared == set(), "declare whether its GET shows personal data or a file"
    assert declared - routes == set(), "declared routes no staff member may GET"


@pytest.mark.parametrize("name", sorted(name for name, codes in STAFF_GETS.items() if codes))
def test_a_staff_download_or_personal_data_page_reaches_its_audit_codes(name):
    missing = set(STAFF_GETS[name]) - reachable_codes(view_of(name))

    assert missing == set(), f"{name}: no audit entry written for these"


def test_every_declared_code_has_a_label():
    assert _declared_codes() - set(ACTION_LABELS) == set()


def _declared_codes():
    return set().union(
        *(codes for codes in STAFF_POSTS.values()),
        *(codes for codes in STAFF_GETS.values()),
        *ADMIN_WRITES.values(),
        *(codes for codes in COMMANDS.values() if isinstance(codes, set)),
    )


def test_every_declared_code_is_read_by_a_test():
    """Each action's entry is asserted somewhere (its actor, object and details, with a real
    request or command), not only found in the call graph here."""
    here = Path(__file__).resolve()
    tests = [
        path.read_text(encoding="utf-8")
        for path in here.parents[1].rglob("test_*.py")
        if path.resolve() != here
    ]
    unread = {
        code
        for code in _declared_codes()
        if not any(f'"{code}"' in text or f"'{code}'" in text for text in tests)
    }

    assert unread == set(), "write a test that performs the action and reads its entry"


@pytest.fixture
def superuser_request():
    request = RequestFactory().get("/admin/")
    request.user = User(username="root", is_superuser=True, is_staff=True, is_active=True)
    return request


def _writes(model_admin, request):
    writes = set()
    if model_admin.has_add_permission(request):
        writes.add("add")
    if model_admin.has_change_permission(request):
        writes.add("change")
    if model_admin.has_delete_permission(request):
        writes.add("delete")
    return writes


def test_every_admin_that_writes_is_audited(superuser_request):
    unaudited = {}
    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, AuditedModelAdmin):
            continue
        writes = _writes(model_admin, superuser_request)
        if writes != SERVICE_ADMINS.get(model._meta.label, set()):
            unaudited[model._meta.label] = sorted(writes)

    assert unaudited == {}, "use AuditedModelAdmin (or declare the writes in SERVICE_ADMINS)"


def test_service_admins_write_through_their_declared_pages_only(superuser_request):
    """Their change permission serves the actions: no field is edited in the list or the form,
    and an add is their own ``add_view`` (declared)."""
    for label in SERVICE_ADMINS:
        model_admin = next(a for m, a in admin.site._registry.items() if m._meta.label == label)
        assert not model_admin.list_editable, label
        if "add" in SERVICE_ADMINS[label]:
            assert (label, "add_view") in ADMIN_WRITES
            assert type(model_admin).add_view is not ModelAdmin.add_view, label


def admin_writes():
    """((model, name), function) of every list action and admin page of its own."""
    found = {}
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label
        for func, name, _description in model_admin._get_base_actions():
            if name != "delete_selected":  # delete_queryset: AuditedModelAdmin's (above)
                found[(label, name)] = func
        base = {pattern.name for pattern in ModelAdmin(model, admin.site).get_urls()}
        for pattern in model_admin.get_urls():
            if pattern.name not in base:
                found[(label, pattern.name)] = pattern.callback
        if type(model_admin).add_view is not ModelAdmin.add_view and not isinstance(
            model_admin, AuditedModelAdmin
        ):
            found[(label, "add_view")] = model_admin.add_view
    return found


def test_every_admin_action_and_page_is_declared():
    found = set(admin_writes())
    declared = set(ADMIN_WRITES) | OTHER_PACKAGES_ADMIN_PAGES

    assert found - declared == set(), "declare what these write to the audit log"
    assert declared - found == set(), "declared admin actions or pages that no longer exist"


@pytest.mark.parametrize("key", sorted(ADMIN_WRITES))
def test_an_admin_action_reaches_its_audit_codes(key):
    missing = ADMIN_WRITES[key] - reachable_codes(admin_writes()[key])

    assert missing == set(), f"{key}: no audit entry written for these"


def test_other_packages_admin_pages_sit_on_audited_admins():
    for label, _name in OTHER_PACKAGES_ADMIN_PAGES:
        model_admin = next(a for m, a in admin.site._registry.items() if m._meta.label == label)
        assert isinstance(model_admin, AuditedModelAdmin), label


def project_commands():
    return {name: app for name, app in get_commands().items() if app.startswith("aipower.")}


def test_every_command_is_declared():
    assert set(project_commands()) ^ set(COMMANDS) == set()


@pytest.mark.parametrize(
    "name", sorted(name for name, codes in COMMANDS.items() if isinstance(codes, set))
)
def test_a_command_a_person_runs_reaches_its_audit_codes(name):
    command = load_command_class(project_commands()[name], name)

    missing = COMMANDS[name] - reachable_codes(type(command).handle)

    assert missing == set(), f"manage.py {name}: no audit entry written for these"
