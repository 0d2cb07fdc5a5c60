"""Who may reach every URL of the site: the access matrix, checked against the running views.

Every route the site serves (the admin excepted: ``tests/accounts/test_roles.py`` checks its
site) is declared below with the roles that may use it, per method. A route added without a
declaration fails ``test_every_route_is_declared``, so a new page cannot arrive without someone
deciding who may see it. Then, for every route, method and kind of visitor:

- a visitor the route is not for is turned away *before* the view does anything: anonymous
  visitors and visitors of the wrong kind go to the right sign-in page (staff pages to the
  staff sign-in, company pages to the card sign-in), a staff member of another role gets 403,
  and a staff member who has not passed the second factor counts as signed out;
- a visitor the route is for is not turned away (whatever the view then says about an object
  that does not exist: the database is empty on purpose, so nothing is acted on).

Objects of one company seen by another are each app's own tests (``other_company`` …).
"""

import re

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver

from aipower.accounts.models import Company, User
from tests.conftest import verified_client

pytestmark = pytest.mark.integration

REV, OPS, ORG = "reviewer", "operator", "organiser"
STAFF = {REV, OPS, ORG}
COMPANY = {"company"}
ANYONE = {"anonymous", "company", "unverified", *STAFF}
#: Authenticated by a bearer credential, not a session: every session visitor gets 401.
TOKEN = "token"

# name: (who may GET, who may POST); None: the method is not served (405; a visitor the route
# is not for may be turned away before the method is looked at).
ACCESS = {
    # Public and the sign-in pages.
    "healthz": (ANYONE, None),
    "readyz": (ANYONE, None),
    "set_language": (ANYONE, ANYONE),
    "registry:index": (ANYONE, ANYONE),  # a redirect to the search, which is guarded
    "staff:login": (ANYONE, ANYONE),
    "staff:logout": (None, ANYONE),
    "staff:forgot_password": (ANYONE, ANYONE),
    "staff:enrol": (ANYONE, ANYONE),  # a one-time link: the token is the credential
    "accounts:envcheck": (ANYONE, None),
    "accounts:login": (ANYONE, ANYONE),
    "accounts:challenge": (None, ANYONE),
    "accounts:verify": (None, ANYONE),
    "accounts:logout": (None, ANYONE),
    "accounts:session_status": (ANYONE, None),
    "accounts:session_keep_alive": (None, ANYONE),
    "public:home": (ANYONE, None),
    "public:announcements": (ANYONE, None),
    "public:announcement": (ANYONE, None),
    "public:guide": (ANYONE, None),
    "public:sitemap": (ANYONE, None),
    "public:results": (ANYONE, None),
    "public:favicon": (ANYONE, None),
    "grants:api-openapi": (ANYONE, None),
    # Machine APIs: an API key (/v1) or a cluster token (GPU metering).
    "gateway:models": (TOKEN, None),
    "gateway:model": (TOKEN, None),
    "gateway:chat": (None, TOKEN),
    "gateway:completions": (None, TOKEN),
    "gateway:embeddings": (None, TOKEN),
    "grants:api-gpu-jobs": (None, TOKEN),
    "grants:api-gpu-accounts": (TOKEN, None),
    # The company's pages (card sign-in).
    "accounts:company": (COMPANY, None),
    "applications:index": (COMPANY, COMPANY),
    "applications:dashboard": (COMPANY, COMPANY),
    "applications:resubmit": (None, COMPANY),
    "applications:step": (COMPANY, COMPANY),
    "applications:app_step": (COMPANY, COMPANY),
    "applications:receipt": (COMPANY, COMPANY),
    "applications:view": (COMPANY, COMPANY),
    "grants:overview": (COMPANY, COMPANY),
    "grants:detail": (COMPANY, COMPANY),
    "grants:csv": (COMPANY, COMPANY),
    "grants:requests-csv": (COMPANY, COMPANY),
    "keys:list": (COMPANY, None),
    "keys:create": (None, COMPANY),
    "keys:guide": (COMPANY, None),
    "keys:revoke": (None, COMPANY),
    "deliverables:overview": (COMPANY, COMPANY),
    "deliverables:submit": (None, COMPANY),
    "deliverables:download": (COMPANY, COMPANY),
    "followup:survey": (COMPANY, COMPANY),
    "privacy:index": (COMPANY, COMPANY),
    "privacy:copy": (COMPANY, COMPANY),
    # Staff: every role.
    "staff:home": (STAFF, STAFF),
    "staff:password_change": (STAFF, STAFF),
    "review:index": (STAFF, STAFF),
    # Staff: the reviewer's own work.
    "review:mine": ({REV}, {REV}),
    "review:affiliations": ({REV}, {REV}),
    "review:assignment": ({REV}, {REV}),
    # Staff: the operator runs the call; the organiser oversees it and decides the awards.
    "registry:company_search": ({OPS, ORG}, None),
    "registry:company": ({OPS, ORG}, None),
    "registry:snapshots": ({OPS, ORG}, None),
    "registry:imports": ({OPS, ORG}, {OPS}),
    "registry:import_job": ({OPS, ORG}, None),
    "registry:import_status": ({OPS, ORG}, None),
    "staff:accounts": ({OPS, ORG}, {OPS, ORG}),
    "staff:account_action": (None, {OPS, ORG}),
    "review:audit": ({OPS, ORG}, {OPS, ORG}),
    "review:batch": ({OPS, ORG}, {OPS, ORG}),
    "review:batch_freeze": (None, {OPS}),
    "review:batch_remind": (None, {OPS}),
    "review:meeting": ({OPS, ORG}, {OPS, ORG}),
    "review:meeting_csv": ({OPS, ORG}, {OPS, ORG}),
    "review:meeting_xlsx": ({OPS, ORG}, {OPS, ORG}),
    "review:batch_approve": (None, {ORG}),
    "review:batch_award_start": (None, {OPS}),
    "review:application": ({OPS, ORG}, None),
    "review:application_eligibility": (None, {OPS}),
    "review:application_startup_priority": (None, {OPS}),
    "review:application_assign": (None, {OPS}),
    "review:application_decision": (None, {OPS}),
    "review:application_override": (None, {ORG}),
    "review:application_send_back": (None, {ORG}),
    # The application as sent: its reviewers too (which ones: the view's object check).
    "review:application_print": (STAFF, None),
    "review:application_pdf": (STAFF, None),
    "review:assignment_reopen": (None, {OPS}),
    "review:assignment_clear_flag": (None, {OPS}),
    "review:assignment_unassign": (None, {OPS}),
    "compliance:index": ({OPS, ORG}, {OPS, ORG}),
    "compliance:csv": ({OPS, ORG}, {OPS, ORG}),
    "compliance:record": ({OPS}, {OPS}),
    "compliance:detail": ({OPS, ORG}, {OPS, ORG}),
    "compliance:reinstate": (None, {OPS}),
    "compliance:pledges": ({OPS, ORG}, {OPS, ORG}),
    "compliance:check_pledge": (None, {OPS}),
    "deliverables_staff:index": ({OPS, ORG}, {OPS, ORG}),
    "deliverables_staff:print": ({OPS, ORG}, {OPS, ORG}),
    "deliverables_staff:csv": ({OPS, ORG}, {OPS, ORG}),
    "deliverables_staff:detail": ({OPS, ORG}, {OPS, ORG}),
    "deliverables_staff:attendance": (None, {OPS}),
    "deliverables_staff:download": ({OPS, ORG}, {OPS, ORG}),
    "followup_staff:index": ({OPS, ORG}, {OPS, ORG}),
    "followup_staff:open": ({OPS}, {OPS}),
    "followup_staff:round": ({OPS, ORG}, {OPS, ORG}),
    "followup_staff:change": ({OPS}, {OPS}),
    "followup_staff:print": ({OPS, ORG}, {OPS, ORG}),
    "followup_staff:csv": ({OPS, ORG}, {OPS, ORG}),
    "followup_staff:response": ({OPS, ORG}, {OPS, ORG}),
    "privacy_staff:index": ({OPS, ORG}, {OPS, ORG}),
    "privacy_staff:new": ({OPS}, {OPS}),
    "privacy_staff:detail": ({OPS, ORG}, {OPS, ORG}),
    "privacy_staff:transition": (None, {OPS}),
    "privacy_staff:correct": ({OPS}, {OPS}),
    "privacy_staff:erase": (None, {OPS}),
    "privacy_staff:copy": ({OPS}, {OPS}),  # a copy of a person's data: only who handles it
    "mail_staff:index": ({OPS, ORG}, {OPS, ORG}),
    "mail_staff:detail": ({OPS, ORG}, {OPS, ORG}),
    "mail_staff:resend": (None, {OPS}),
    "grants_staff:usage": ({OPS, ORG}, None),
}

STAFF_LOGIN, COMPANY_LOGIN = "/staff/login/?next=", "/login/?next="


def routes(patterns=None, prefix="", namespace=""):
    """(name, route) of every URL the site serves outside the admin and static files."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern) == "admin/":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif pattern.name:
            yield namespace + pattern.name, prefix + str(pattern.pattern)


ROUTES = dict(routes())


def concrete(route):
    """A path for ``route``: numbers for ids (of nothing: the database is empty), ``csv`` for a
    format, a word for the rest."""
    route = re.sub(r"<int:[^>]+>", "1", route)
    route = re.sub(r"<str:fmt>", "csv", route)
    return "/" + re.sub(r"<(str|slug|path):[^>]+>", "x", route)


@pytest.fixture
def visitors(db):
    company = Company.objects.create(ubn="84700087", name="晴空智能股份有限公司")
    clients = {
        "anonymous": Client(),
        "company": verified_client(
            User.objects.create_user("sweep-company", role="company", company=company)
        ),
    }
    for role in sorted(STAFF):
        clients[role] = verified_client(User.objects.create_user(f"sweep-{role}", role=role))
    unverified = Client()
    unverified.force_login(User.objects.create_user("sweep-unverified", role=OPS))
    clients["unverified"] = unverified
    return clients


def test_every_route_is_declared():
    assert set(ROUTES) - set(ACCESS) == set(), "routes without a declared access rule"
    assert set(ACCESS) - set(ROUTES) == set(), "declared routes the site no longer has"


def turned_away(response):
    """How a visitor was turned away (or None): which sign-in page, or the status."""
    location = response.headers.get("Location", "")
    if response.status_code == 302 and location.startswith(STAFF_LOGIN):
        return "staff sign-in"
    if response.status_code == 302 and location.startswith(COMPANY_LOGIN):
        return "card sign-in"
    if response.status_code in (401, 403, 405):
        return response.status_code
    return None


def expected_refusals(allowed, served, visitor):
    """The ways ``visitor`` may be turned away by a method of a route for ``allowed`` (None
    when the method is not served, then ``served`` is who the route's other method is for);
    {None} when it may use it."""
    if allowed is None:
        return {405} | (expected_refusals(served, None, visitor) - {None})
    return {expected_refusal(allowed, visitor)}


def expected_refusal(allowed, visitor):
    if allowed == TOKEN:
        return 401
    if visitor in allowed:
        return None
    if allowed <= COMPANY:
        return "card sign-in"
    if visitor in ("anonymous", "company", "unverified"):
        return "staff sign-in"
    return 403


@pytest.mark.parametrize("name", sorted(ACCESS))
def test_only_whom_a_route_is_for_gets_past_its_check(name, visitors):
    if name not in ROUTES:
        pytest.skip("not served (test_every_route_is_declared says so)")
    path = concrete(ROUTES[name])
    wrong = []
    get, post = ACCESS[name]
    for method, allowed, served in (("get", get, post), ("post", post, get)):
        for visitor, client in visitors.items():
            response = getattr(client, method)(path)
            expected, got = expected_refusals(allowed, served, visitor), turned_away(response)
            if got not in expected:
                wrong.append(
                    f"{method.upper()} as {visitor}: expected {expected}, got {got} "
                    f"({response.status_code} {response.headers.get('Location', '')})"
                )
    assert wrong == [], f"{name} {path}"


#: Uploads check the token inside, after refusing an oversized body and a missing object: their
#: apps' tests send a real upload without it (tests/deliverables/test_views.py,
#: tests/registry/test_uploads.py).
CSRF_CHECKED_INSIDE = {"deliverables:submit"}


@pytest.mark.parametrize(
    "name", sorted(name for name, (_get, post) in ACCESS.items() if post not in (None, TOKEN))
)
def test_every_form_route_refuses_a_post_without_the_csrf_token(name, visitors):
    """Whoever may POST to a route (signed out for the sign-in pages), a POST without the CSRF
    token is refused with 403 before the view acts."""
    if name in CSRF_CHECKED_INSIDE:
        pytest.skip("checked by its app's tests with a real object")
    if name not in ROUTES:
        pytest.skip("not served (test_every_route_is_declared says so)")
    path = concrete(ROUTES[name])
    wrong = []
    for visitor, client in visitors.items():
        if visitor not in ACCESS[name][1]:
            continue
        client.handler.enforce_csrf_checks = True
        response = client.post(path)
        if response.status_code != 403:
            wrong.append(f"{visitor}: {response.status_code}")
    assert wrong == [], f"{name} {path}"
