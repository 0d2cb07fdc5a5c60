"""Staff accounts through their life: the operator creates one and the member enrols with a
one-time link; a lost phone; a forgotten password; deactivation; a role change."""

import datetime as dt
import re

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from aipower.accounts import enrolment as service
from aipower.accounts.enums import Role
from aipower.accounts.models import Enrolment, User
from aipower.accounts.roles import sync_role_groups
from aipower.core.models import AuditEntry
from tests.accounts.test_staff_login import (
    PASSWORD,
    current_code,
    make_staff,
    sign_in,
    verified_session,
)

pytestmark = pytest.mark.integration

NEW_PASSWORD = "violet umbrella cactus 42"
ACCOUNTS_URL = "/staff/accounts/"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def operator(django_user_model):
    return make_staff(django_user_model, "op", Role.OPERATOR)


@pytest.fixture
def operator_client(operator):
    client = Client()
    verified_session(client, operator)
    return client


@pytest.fixture
def organiser_client(django_user_model):
    client = Client()
    verified_session(client, make_staff(django_user_model, "boss", Role.ORGANISER))
    return client


def link_in(message):
    return re.search(r"https?://\S+/staff/enrol/(\S+)/", message.body).group(1)


def code_for_link(client, token):
    """What the member's phone shows after scanning the link page's secret."""
    html = client.get(f"/staff/enrol/{token}/").content.decode()
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', html).group(1).replace(" ", "")
    from base64 import b32decode

    return f"{totp(b32decode(secret)):06d}"


def enrol(client, token, code, password=NEW_PASSWORD):
    return client.post(
        f"/staff/enrol/{token}/",
        {"password1": password, "password2": password, "otp_token": code},
    )


def test_operator_creates_reviewer_who_enrols_with_mailed_link_and_signs_in(operator_client):
    response = operator_client.post(
        ACCOUNTS_URL,
        {
            "username": "rev1",
            "first_name": "王委員",
            "email": "rev1@example.org",
            "role": "reviewer",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(username="rev1")
    assert user.role == Role.REVIEWER
    assert not user.has_usable_password()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["rev1@example.org"]
    token = link_in(mail.outbox[0])
    member = Client()
    code = code_for_link(member, token)

    done = enrol(member, token, code)

    assert done.status_code == 302 and done["Location"] == "/staff/login/"
    device = TOTPDevice.objects.get(user=user)
    signed_in = sign_in(
        Client(), user, code=f"{totp(device.bin_key, drift=1):06d}", password=NEW_PASSWORD
    )
    assert signed_in.status_code == 302
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert {"staff.created", "staff.enrolment_issued", "staff.enrolled"} <= set(actions)


def test_enrolment_link_works_once(operator, db):
    user = User.objects.create(username="org1", role=Role.ORGANISER, email="o@example.org")
    _enrolment, token = service.issue(user, by=operator)
    member = Client()
    assert enrol(member, token, code_for_link(member, token)).status_code == 302

    again = member.get(f"/staff/enrol/{token}/")

    assert again.status_code == 410
    assert "此連結已使用、已逾期" in again.content.decode()


def test_enrolment_link_expires(operator, db):
    user = User.objects.create(username="org1", role=Role.ORGANISER, email="o@example.org")
    _enrolment, token = service.issue(
        user, by=operator, now=timezone.now() - service.ENROL_VALID - dt.timedelta(minutes=1)
    )

    assert Client().get(f"/staff/enrol/{token}/").status_code == 410


def test_enrolment_with_wrong_code_keeps_nothing_and_says_so_next_to_the_field(operator, db):
    user = User.objects.create(username="org1", role=Role.ORGANISER, email="o@example.org")
    _enrolment, token = service.issue(user, by=operator)
    member = Client()
    good = code_for_link(member, token)
    bad = "000000" if good != "000000" else "111111"

    response = enrol(member, token, bad)

    html = response.content.decode()
    assert response.status_code == 200
    assert "驗證碼不正確" in html
    assert NEW_PASSWORD not in html
    user.refresh_from_db()
    assert not user.has_usable_password()
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_operator_reenrolment_after_lost_phone_ends_sessions_and_old_device(
    operator_client, django_user_model
):
    reviewer = make_staff(django_user_model, "rev", Role.REVIEWER)
    reviewer.email = "rev@example.org"
    reviewer.save()
    old_code = current_code(reviewer)
    browser = Client()
    verified_session(browser, reviewer)

    response = operator_client.post(f"{ACCOUNTS_URL}{reviewer.pk}/enrol/")

    assert response.status_code == 302
    assert browser.get("/staff/").status_code == 302  # signed out
    assert not TOTPDevice.objects.filter(user=reviewer).exists()
    assert sign_in(Client(), reviewer, code=old_code).status_code == 200  # refused
    token = link_in(mail.outbox[-1])
    member = Client()
    assert enrol(member, token, code_for_link(member, token)).status_code == 302
    assert TOTPDevice.objects.filter(user=reviewer, confirmed=True).count() == 1
    assert mail.outbox[-1].subject == "AI算力平台工作人員帳號登入方式已變更"
    issued = AuditEntry.objects.get(action="staff.enrolment_issued")
    assert issued.actor_id == User.objects.get(username="op").pk


def test_deactivation_signs_the_member_out_at_once_and_shows_open_reviews(
    operator_client, django_user_model
):
    reviewer = make_staff(django_user_model, "rev", Role.REVIEWER)
    browser = Client()
    verified_session(browser, reviewer)
    assert browser.get("/staff/").status_code == 200

    response = operator_client.post(f"{ACCOUNTS_URL}{reviewer.pk}/deactivate/", follow=True)

    assert "已停用" in response.content.decode()
    assert not Session.objects.filter(session_key=browser.cookies["sessionid"].value).exists()
    assert browser.get("/staff/").status_code == 302
    reviewer.refresh_from_db()
    assert not reviewer.is_active
    assert AuditEntry.objects.filter(
        action="staff.deactivated", object_id=str(reviewer.pk)
    ).exists()


def test_role_change_takes_effect_on_the_next_request(organiser_client, django_user_model):
    member = make_staff(django_user_model, "org", Role.ORGANISER)
    sync_role_groups()
    browser = Client()
    verified_session(browser, member)
    assert browser.get("/admin/").status_code == 200

    organiser_client.post(f"{ACCOUNTS_URL}{member.pk}/role/", {f"u{member.pk}-role": "reviewer"})

    assert browser.get("/admin/").status_code in (302, 403)
    member.refresh_from_db()
    assert member.role == Role.REVIEWER and not member.is_staff
    assert not member.groups.filter(name="organiser").exists()
    entry = AuditEntry.objects.get(action="staff.role_changed")
    assert entry.data == {"old": "organiser", "new": "reviewer"}


def test_operator_cannot_change_own_account(operator_client, operator):
    response = operator_client.post(f"{ACCOUNTS_URL}{operator.pk}/deactivate/")

    assert response.status_code == 403
    operator.refresh_from_db()
    assert operator.is_active


def test_reviewers_manage_no_staff_accounts(django_user_model):
    member = make_staff(django_user_model, "someone", Role.REVIEWER)
    other = make_staff(django_user_model, "other", Role.REVIEWER)
    browser = Client()
    verified_session(browser, member)

    assert browser.get(ACCOUNTS_URL).status_code == 403
    assert browser.post(f"{ACCOUNTS_URL}{other.pk}/deactivate/").status_code == 403


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.ORGANISER])
@pytest.mark.parametrize("action", ["deactivate", "enrol"])
def test_the_operator_cannot_take_over_operator_or_organiser_accounts(
    operator_client, django_user_model, role, action
):
    member = make_staff(django_user_model, "someone", role)
    member.email = "someone@example.org"
    member.save()

    response = operator_client.post(f"{ACCOUNTS_URL}{member.pk}/{action}/")

    assert response.status_code == 403
    member.refresh_from_db()
    assert member.is_active and member.has_usable_password()
    assert not mail.outbox


@pytest.mark.parametrize("role", ["organiser", "operator"])
def test_the_operator_cannot_create_an_organiser_or_operator_account(operator_client, role):
    response = operator_client.post(
        ACCOUNTS_URL,
        {"username": "boss2", "first_name": "某人", "email": "me@example.org", "role": role},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["role"] == [
        f"角色請從選項中選擇（「{role}」不是選項之一）"
    ]
    assert not User.objects.filter(username="boss2").exists()
    assert not mail.outbox


def test_the_operator_cannot_make_a_reviewer_an_organiser(operator_client, django_user_model):
    member = make_staff(django_user_model, "rev", Role.REVIEWER)

    response = operator_client.post(
        f"{ACCOUNTS_URL}{member.pk}/role/", {f"u{member.pk}-role": "organiser"}
    )

    assert response.status_code == 403
    member.refresh_from_db()
    assert member.role == Role.REVIEWER


def test_the_organiser_creates_an_operator_account(organiser_client):
    response = organiser_client.post(
        ACCOUNTS_URL,
        {"username": "op9", "first_name": "執行", "email": "op9@example.org", "role": "operator"},
    )

    assert response.status_code == 302
    assert User.objects.get(username="op9").role == Role.OPERATOR
    assert mail.outbox[0].to == ["op9@example.org"]


def test_forgotten_password_answer_does_not_say_whether_the_account_exists(django_user_model):
    member = make_staff(django_user_model, "rev", Role.REVIEWER)
    member.email = "rev@example.org"
    member.save()

    known = Client().post("/staff/login/forgot/", {"username": "rev"})
    unknown = Client().post("/staff/login/forgot/", {"username": "nobody"})

    assert known.status_code == unknown.status_code == 200
    assert _main(known) == _main(unknown)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["rev@example.org"]
    assert AuditEntry.objects.filter(action="staff.password_reset_requested").count() == 2


def _main(response):
    return re.search(r"<main.*</main>", response.content.decode(), re.S).group(0)


def test_forgotten_password_link_needs_the_members_own_code(django_user_model):
    member = make_staff(django_user_model, "rev", Role.REVIEWER)
    member.email = "rev@example.org"
    member.save()
    Client().post("/staff/login/forgot/", {"username": "rev"})
    token = link_in(mail.outbox[0])
    browser = Client()
    page = browser.get(f"/staff/enrol/{token}/").content.decode()
    assert "totp-secret" not in page  # the device stays: no new secret is shown

    without_code = enrol(browser, token, "")
    with_code = enrol(browser, token, current_code(member))

    assert without_code.status_code == 200
    assert with_code.status_code == 302
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)
    assert TOTPDevice.objects.filter(user=member).count() == 1


def test_forgotten_password_requests_are_rate_limited(db):
    browser = Client()
    answers = [
        browser.post("/staff/login/forgot/", {"username": f"x{n}"}).status_code
        for n in range(service.RESET_REQUESTS_PER_MINUTE + 1)
    ]

    assert answers[-1] == 429
    assert answers[:-1] == [200] * service.RESET_REQUESTS_PER_MINUTE


def test_enrolment_row_keeps_only_the_hash_of_the_link(operator, db):
    user = User.objects.create(username="org1", role=Role.ORGANISER, email="o@example.org")

    enrolment, token = service.issue(user, by=operator)

    stored = Enrolment.objects.get(pk=enrolment.pk)
    assert token not in stored.token_hash
    assert len(stored.token_hash) == 64
    assert PASSWORD  # the module's fixtures share the sign-in tests' password


@pytest.fixture
def assigned_reviewer(call_115, django_user_model):
    """A reviewer with one application assigned and not yet scored."""
    from aipower.applications.services import start_application, submit_application
    from aipower.review import services as review_services
    from aipower.review.models import Budget
    from tests.applications.conftest import fill_application, make_company_user, open_now
    from tests.review.helpers import make_eligible

    call = open_now(call_115)
    Budget.objects.create(
        category=call.categories.get(kind="training"), points=60000, minimum_reviewers=1
    )
    assigner = User.objects.create_user(username="op2", role=Role.OPERATOR)
    reviewer = make_staff(django_user_model, "rev", Role.REVIEWER)
    company = make_company_user("84700087", "晴空")
    app = submit_application(
        fill_application(start_application(company.company, call), company, "training"), company
    )
    make_eligible(app, assigner)
    review_services.assign_reviewer(app, reviewer, assigner)
    return reviewer, app


def test_deactivating_a_reviewer_with_open_reviews_warns_and_lists_them(
    operator_client, assigned_reviewer
):
    reviewer, app = assigned_reviewer

    response = operator_client.post(f"{ACCOUNTS_URL}{reviewer.pk}/deactivate/", follow=True)

    html = response.content.decode()
    assert "rev 尚有 1 件審查未完成，請至審查梯次改派其他委員。" in html
    row = re.search(rf'<tr id="staff-{reviewer.pk}">.*?</tr>', html, re.S).group(0)
    assert f'href="/staff/review/application/{app.pk}/"' in row
    assert "已停用" in row


def test_a_reviewer_made_organiser_with_open_reviews_is_warned_about(
    organiser_client, assigned_reviewer
):
    reviewer, _app = assigned_reviewer

    response = organiser_client.post(
        f"{ACCOUNTS_URL}{reviewer.pk}/role/", {f"u{reviewer.pk}-role": "organiser"}, follow=True
    )

    assert "rev 尚有 1 件審查未完成" in response.content.decode()


def test_a_reviewer_changes_their_password_and_their_other_browsers_are_signed_out(
    django_user_model,
):
    reviewer = make_staff(django_user_model, "rev", Role.REVIEWER)
    reviewer.email = "rev@example.org"
    reviewer.save()
    here, elsewhere = Client(), Client()
    verified_session(here, reviewer)
    verified_session(elsewhere, reviewer)
    assert 'href="/staff/password/"' in here.get("/staff/").content.decode()

    response = here.post(
        "/staff/password/",
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 302
    reviewer.refresh_from_db()
    assert reviewer.check_password(NEW_PASSWORD)
    assert here.get("/staff/").status_code == 200
    assert elsewhere.get("/staff/").status_code == 302
    assert AuditEntry.objects.filter(
        action="staff.password_changed", object_id=str(reviewer.pk)
    ).exists()
    (notice,) = mail.outbox
    assert notice.to == [reviewer.email]
    assert "「rev」的密碼已於" in notice.body
    assert "若非您本人操作，請立即通知執行單位" in notice.body


def test_a_wrong_old_password_is_said_next_to_its_field_and_nothing_typed_is_shown(
    django_user_model,
):
    reviewer = make_staff(django_user_model, "rev", Role.REVIEWER)
    here = Client()
    verified_session(here, reviewer)

    response = here.post(
        "/staff/password/",
        {"old_password": "nope", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(
        r'id="id_old_password"[^>]*>\s*(<div class="help">.*?</div>\s*)?<ul class="errorlist"',
        html,
        re.S,
    )
    assert NEW_PASSWORD not in html
    reviewer.refresh_from_db()
    assert reviewer.check_password(PASSWORD)


def test_forgotten_password_request_queues_the_same_work_whether_the_account_exists(
    django_user_model, settings
):
    from django_tasks_db.models import DBTaskResult

    from aipower.accounts.tasks import mail_password_link

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    member = make_staff(django_user_model, "rev", Role.REVIEWER)
    member.email = "rev@example.org"
    member.save()

    Client().post("/staff/login/forgot/", {"username": "rev"})
    Client().post("/staff/login/forgot/", {"username": "my secret password"})

    assert not mail.outbox  # the mail takes the worker's time, not the answer's
    queued = list(DBTaskResult.objects.filter(task_path__startswith="aipower.accounts."))
    assert {task.task_path for task in queued} == {"aipower.accounts.tasks.mail_password_link"}
    args = sorted((task.args_kwargs["args"] for task in queued), key=lambda a: a[0] is None)
    assert args == [[member.pk, "http://testserver/"], [None, "http://testserver/"]]
    assert "my secret password" not in str([task.args_kwargs for task in queued])
    assert not Enrolment.objects.exists()  # no link stored anywhere before the worker runs
    for task_args in args:
        mail_password_link.call(*task_args)
    assert [message.to for message in mail.outbox] == [["rev@example.org"]]
    assert "http://testserver/staff/enrol/" in mail.outbox[0].body


def test_each_rows_buttons_and_role_box_name_the_account(organiser_client, django_user_model):
    member = make_staff(django_user_model, "rev7", Role.REVIEWER)
    member.email = "rev7@example.org"
    member.save()

    html = organiser_client.get(ACCOUNTS_URL).content.decode()

    row = re.search(rf'<tr id="staff-{member.pk}">.*?</tr>', html, re.S).group(0)
    for name in ("變更「rev7」的角色", "重發「rev7」的設定連結", "停用「rev7」的帳號"):
        assert f'aria-label="{name}"' in row
    assert re.search(r'<label for="id_u\d+-role">角色<span class="visually-hidden">（rev7）', row)


def test_a_mistyped_new_password_does_not_use_up_the_code_on_a_reset_link(django_user_model):
    member = make_staff(django_user_model, "rev", Role.REVIEWER)
    _enrolment, token = service.issue(member, Enrolment.Purpose.PASSWORD)
    browser = Client()
    code = current_code(member)

    mistyped = browser.post(
        f"/staff/enrol/{token}/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x", "otp_token": code},
    )
    again = enrol(browser, token, code)

    assert "兩次輸入的密碼不一致" in mistyped.content.decode()
    assert again.status_code == 302
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)


def test_issuing_a_link_forgets_expired_ones_with_their_secrets(operator, db):
    old = User.objects.create(username="org1", role=Role.ORGANISER, email="o@example.org")
    new = User.objects.create(username="org2", role=Role.ORGANISER, email="p@example.org")
    stale, _token = service.issue(
        old, by=operator, now=timezone.now() - service.ENROL_VALID - dt.timedelta(days=1)
    )

    service.issue(new, by=operator)

    assert not Enrolment.objects.filter(pk=stale.pk).exists()


def test_the_accounts_page_says_whose_authenticator_waits_after_wrong_codes(
    operator_client, django_user_model
):
    member = make_staff(django_user_model, "rev", Role.REVIEWER)
    TOTPDevice.objects.filter(user=member).update(
        throttling_failure_count=12, throttling_failure_timestamp=timezone.now()
    )

    html = operator_client.get(ACCOUNTS_URL).content.decode()

    row = re.search(rf'<tr id="staff-{member.pk}">.*?</tr>', html, re.S).group(0)
    assert "驗證碼錯誤次數過多，驗證器暫停至 " in row
