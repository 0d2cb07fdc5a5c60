"""Scale: the company's wizard pages and 申請案狀態 read a fixed number of queries whatever the
programme's volume (other companies' applications, the company's versions and mails).

A wizard page read each of the call's texts on its own (ten queries, one per text). The dashboard
read, for each application, the staff's addresses, its mails, versions, award, allowance and the
award's call, the deliverables of an award still running and the survey rounds of one without a
service (19 queries for one awarded application, 7 more for a later year's submitted one); a
later year's application now adds only what review reads for it (bounded below).
"""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from aipower.accounts.models import Company, User
from aipower.applications import flow
from aipower.applications.models import Application, ApplicationVersion, SentMail
from aipower.applications.services import start_application, submit_application
from aipower.calls.enums import TextKey
from tests.conftest import verified_client
from tests.query_counts import measure, with_audit_entry

from .conftest import fill_application, make_company_user
from .two_calls import awarded_application, close, seed_next_call

pytestmark = pytest.mark.integration

# A wizard page: session, user, company, the current call (three times: the access check, the
# page's links and the frame), the application, the registry's record (two), the form notes,
# the call's texts (the page's, once, and the consent, declaration and pledge labels), the
# catalogue's models (two), and what the page's own form reads.
WIZARD_QUERIES = {
    "category": 15,
    "terms": 15,
    "profile": 17,
    "declaration": 16,
    "training-1": 17,
    "training-2": 15,
    "training-3": 15,
    "training-4": 15,
    "pledge": 16,
}
# Queries on the call's texts: the page's texts in one (it was one per text), the three agreement
# labels of the forms the progress list checks, and the page's own agreement form's label.
TEXT_QUERIES = 5
# The dashboard of one awarded application whose service runs.
DASHBOARD_QUERIES = 13
# What one more (submitted, not yet awarded) application of a later year adds: review's award and
# state changes (review's applicant_dashboard).
PER_LATER_APPLICATION = 2


def queries_of(client, url):
    queries, _response, text = measure(client, url)
    return queries, text


def other_companies(call, start, count):
    """``count`` other companies, each with a submitted application, a version and a mail."""
    now = timezone.now()
    companies = Company.objects.bulk_create(
        [Company(ubn=f"{80000000 + n}", name=f"他公司{n:03d}") for n in range(start, start + count)]
    )
    apps = Application.objects.bulk_create(
        [
            Application(
                call=call,
                company=company,
                category="training",
                state="submitted",
                number=f"AP115-T-{9000 + n:04d}",
                submitted_at=now,
                data={"profile": {"pi_email": "pi@example.com"}},
            )
            for n, company in enumerate(companies, start)
        ]
    )
    ApplicationVersion.objects.bulk_create(
        [
            ApplicationVersion(
                application=app, number=1, data={}, fingerprint="0" * 64, created_at=now
            )
            for app in apps
        ]
    )
    SentMail.objects.bulk_create(
        [
            SentMail(to=["pi@example.com"], subject="收執聯", body="…", application=app)
            for app in apps
        ]
    )


def add_versions_and_mails(app, versions, mails):
    first = app.versions.count() + 1
    ApplicationVersion.objects.bulk_create(
        [
            ApplicationVersion(
                application=app,
                number=n,
                data=app.data,
                fingerprint=f"{n}" * 64,
                created_at=timezone.now(),
            )
            for n in range(first, first + versions)
        ]
    )
    SentMail.objects.bulk_create(
        [
            SentMail(to=["contact@example.com"], subject=f"通知第{n}封", body="…", application=app)
            for n in range(mails)
        ]
    )


@pytest.mark.parametrize("identifier", list(WIZARD_QUERIES))
def test_wizard_page_query_count_does_not_grow_with_the_programme(
    open_call, company_user, company_client, identifier
):
    app = fill_application(start_application(company_user.company, open_call), company_user)
    step = flow.get_step(identifier)
    url = reverse("applications:step", args=[identifier])
    other_companies(open_call, 0, 10)

    small, html = queries_of(company_client, url)

    assert f"<h1>{step.title}</h1>" in html or str(step.title) in html
    other_companies(open_call, 10, 20)
    add_versions_and_mails(app, 3, 6)
    large, html = queries_of(company_client, url)

    assert str(step.title) in html
    assert len(small) == len(large) <= WIZARD_QUERIES[identifier]
    texts = [query for query in large if '"calls_text"' in query["sql"]]
    assert len(texts) <= TEXT_QUERIES


def test_wizard_pages_show_the_calls_texts(open_call, company_user, company_client):
    fill_application(start_application(company_user.company, open_call), company_user)
    texts = {text.key: text for text in open_call.texts.all()}

    _queries, terms = queries_of(company_client, reverse("applications:step", args=["terms"]))

    assert texts[TextKey.TERMS].body_zh.splitlines()[0] in terms
    assert texts[TextKey.OBLIGATIONS].body_zh.splitlines()[0] in terms


def mail_subjects(html):
    return re.findall(r"</span> ([^<]*)</summary>", html)


def version_rows(html):
    return re.findall(r"<tr><td>(\d+)</td><td>[^<]*</td><td>\d+</td><td><code>", html)


def test_dashboard_query_count_does_not_grow_with_versions_mails_or_companies(
    call_115, company_user, company_client
):
    url = reverse("applications:dashboard")
    app = awarded_application(call_115, company_user)
    other_companies(call_115, 0, 10)

    small, html = queries_of(company_client, url)

    assert app.number in html
    assert '<td id="award-points">2,000</td>' in html
    shown_versions = version_rows(html)
    add_versions_and_mails(app, 3, 6)
    other_companies(call_115, 10, 20)
    large, html = queries_of(company_client, url)

    assert version_rows(html) == [str(n) for n in range(int(shown_versions[0]) + 3, 0, -1)]
    assert [s for s in mail_subjects(html) if s.startswith("通知第")] == [
        f"通知第{n}封" for n in range(5, -1, -1)
    ]
    assert '<td id="award-points">2,000</td>' in html
    assert len(small) == len(large) <= DASHBOARD_QUERIES


def test_dashboard_later_years_application_adds_a_bounded_number_of_queries(
    call_115, company_user, company_client, monkeypatch
):
    url = reverse("applications:dashboard")
    awarded = awarded_application(call_115, company_user)
    close(call_115)
    call_116 = seed_next_call(monkeypatch, is_open=True)
    one, _html = queries_of(company_client, url)

    app = start_application(company_user.company, call_116)
    later = submit_application(fill_application(app, company_user, "training"), company_user)
    two, html = queries_of(company_client, url)

    assert awarded.number in html and later.number in html
    assert html.index(later.number) < html.index(awarded.number)
    assert len(two) - len(one) <= PER_LATER_APPLICATION


def test_dashboard_mails_are_each_applications_own(call_115, company_user, company_client):
    app = awarded_application(call_115, company_user)
    staff = User.objects.create_user("staff-mail", role="operator", email="Staff@Example.org")
    SentMail.objects.create(to=[staff.email], subject="給審查委員", body="…", application=app)
    other = make_company_user("10458575", "另一家股份有限公司")
    other_app = fill_application(start_application(other.company, call_115), other)
    SentMail.objects.create(
        to=["x@example.com"], subject="別家的信", body="…", application=other_app
    )

    _queries, html = queries_of(company_client, reverse("applications:dashboard"))

    subjects = mail_subjects(html)
    assert subjects and "給審查委員" not in subjects and "別家的信" not in subjects


# Session, user, second factor, the mails' count and page (with application and original), the
# unresolved failures, and the frame's read.
MAIL_LIST_QUERIES = with_audit_entry(11)  # the list is audited: 4 of them
# Session, user, second factor, the mail, its resends, the addresses it may go to again, its
# audit entry, and the frame's read.
MAIL_DETAIL_QUERIES = with_audit_entry(11)
# The receipt and the read-back page of a submitted application (each also reads its latest
# version, to say which version it shows or whose fingerprint it gives).
READ_BACK_QUERIES = {"receipt": 6, "view": 12}


def mails_of(app, count, *, failed=False, resent_from=None):
    return SentMail.objects.bulk_create(
        [
            SentMail(
                to=["pi@example.com"],
                subject=f"信件{n}",
                body="…",
                application=app,
                status=SentMail.Status.FAILED if failed else SentMail.Status.SENT,
                resent_from=resent_from,
            )
            for n in range(count)
        ]
    )


@pytest.mark.parametrize("failed_only", [False, True], ids=["all", "failed"])
def test_mail_log_query_count_does_not_grow_with_mails(open_call, failed_only):
    client = verified_client(User.objects.create_user("op", role="operator", password="x" * 12))
    other_companies(open_call, 0, 10)
    app = Application.objects.first()
    mails_of(app, 10, failed=True)
    url = reverse("mail_staff:index") + ("?show=failed" if failed_only else "")

    small, _html = queries_of(client, url)

    other_companies(open_call, 10, 20)
    [failed, *_rest] = mails_of(app, 30, failed=True)
    mails_of(app, 1, resent_from=failed)  # delivered again: no longer a failure
    large, html = queries_of(client, url)

    shown = html.count('<tr id="mail-')
    assert shown == (39 if failed_only else 50)  # one page of 50
    assert len(small) == len(large) <= MAIL_LIST_QUERIES


def test_mail_page_query_count_does_not_grow_with_resends(open_call):
    client = verified_client(User.objects.create_user("op", role="operator", password="x" * 12))
    other_companies(open_call, 0, 1)
    [mail] = mails_of(Application.objects.get(), 1, failed=True)
    url = reverse("mail_staff:detail", args=[mail.pk])
    mails_of(mail.application, 1, failed=True, resent_from=mail)

    small, _html = queries_of(client, url)

    mails_of(mail.application, 5, failed=True, resent_from=mail)
    large, html = queries_of(client, url)

    assert html.count(reverse("mail_staff:detail", args=[mail.pk + 1])) >= 1
    assert html.split('id="mail-resends">', 1)[1].split("</ul>", 1)[0].count("<li>") == 6
    assert len(small) == len(large) <= MAIL_DETAIL_QUERIES


@pytest.mark.parametrize("page", list(READ_BACK_QUERIES))
def test_read_back_query_count_does_not_grow_with_versions_or_companies(
    open_call, company_user, company_client, page
):
    app = fill_application(start_application(company_user.company, open_call), company_user)
    app = submit_application(app, company_user)
    url = reverse(f"applications:{page}", args=[app.pk])
    other_companies(open_call, 0, 10)

    small, _html = queries_of(company_client, url)

    other_companies(open_call, 10, 20)
    add_versions_and_mails(app, 3, 6)
    large, html = queries_of(company_client, url)

    assert app.number in html
    assert len(small) == len(large) <= READ_BACK_QUERIES[page]
