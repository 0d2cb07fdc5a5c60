"""Personal-data requests (個人資料保護法 第3條): one function per thing the business does.

- ``held_data`` / ``copy_document`` / ``copy_csv``: what the platform holds about a company's
  contacts (the profile section of each of its applications, as it stands now).
- ``file_request``: a company files a request; a 製給複製本 request is fulfilled at once.
- ``record_request``: the operator records a request a data subject made by e-mail, phone, at
  the counter or in writing (on their behalf, with the identity check); it starts 收件.
- ``change_state``: the operator moves a request 收件 → 處理中 → 已完成 / 不予受理.
- ``correct_profile``: 補充或更正 — the operator corrects a contact's fields of an application.
- ``erase_personal_data`` / ``accept_deletion``: 刪除 — blank the contacts' fields in the
  applications and their versions, and their addresses in the mails sent.

Every staff operation writes the request's history and the audit log; closing a request mails
the data subject (zh-Hant, then English).
"""

from __future__ import annotations

import csv
import datetime
import io

from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aipower.accounts.models import Company
from aipower.applications.forms import ProfileForm
from aipower.applications.models import Application, ApplicationVersion, SentMail
from aipower.applications.services import (
    fingerprint,
    send_mail_stored,
    submission_snapshot,
)
from aipower.calls.services import current_call
from aipower.core import audit, notices, once
from aipower.core.csvcells import safe_cell
from aipower.core.roc import format_date_in

from .enums import (
    CONTACT_FIELDS,
    CONTACT_SLOTS,
    PERSON_FIELDS,
    STAFF_CHANNELS,
    TRANSITIONS,
    Channel,
    Kind,
    Person,
    State,
)
from .models import DataRequest, DataRequestEvent

# What replaces an erased address in the mails sent (RFC 2606: .invalid never resolves).
ERASED_ADDRESS = "erased@personal-data.invalid"

COPY_OUTCOME = gettext_lazy("已於線上提供複製本（JSON 及 CSV 格式）。")


class DataRequestError(Exception):
    """A refused operation, with a message for the user."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def field_label(name):
    """The profile form's own label of a contact field (e.g. 專案主持人電子信箱)."""
    return ProfileForm.base_fields[name].label


def _applications(company):
    return Application.objects.filter(company=company).select_related("call")


def held_data(company, email=None):
    """Per application (newest call first): each contact slot that holds any data, with its
    fields as (name, label, value); with ``email``, only the slots holding that address (one
    data subject's own data)."""
    email = (email or "").strip().lower()
    rows = []
    for app in _applications(company).order_by("-call__year", "-id"):
        profile = app.section("profile")
        people = []
        for slot in CONTACT_SLOTS:
            if email and _who(profile, slot)[0] != email:
                continue
            fields = [(n, field_label(n), profile.get(n) or "") for n in PERSON_FIELDS[slot]]
            if any(value for _name, _label, value in fields):
                people.append({"slot": slot, "label": Person(slot).label, "fields": fields})
        rows.append({"application": app, "people": people})
    return rows


def copy_document(company, now=None, email=None):
    """The copy (製給複製本) as a JSON-ready dict (``email``: one data subject's only)."""
    now = now or timezone.now()
    applications = []
    for row in held_data(company, email):
        app = row["application"]
        applications.append(
            {
                "call": app.call.year,
                "number": app.number or "",
                "contacts": [
                    {
                        "role": person["slot"],
                        "role_label": str(person["label"]),
                        "fields": {name: value for name, _label, value in person["fields"]},
                    }
                    for person in row["people"]
                ],
            }
        )
    return {
        "company": {"ubn": company.ubn, "name": company.name},
        "generated_at": timezone.localtime(now).isoformat(timespec="seconds"),
        "applications": applications,
    }


def copy_csv(company, email=None):
    """The copy as CSV text (one row per field; UTF-8 with a BOM so that Excel reads it;
    ``email``: one data subject's only)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([_("年度"), _("申請編號"), _("身分"), _("欄位"), _("內容")])
    for row in held_data(company, email):
        app = row["application"]
        for person in row["people"]:
            for _name, label, value in person["fields"]:
                writer.writerow(
                    [app.call.year, app.number or "", person["label"], label, safe_cell(value)]
                )
    return buffer.getvalue()


def _event(data_request, action, *, by, note="", from_state="", to_state="", mail=None, now):
    return DataRequestEvent.objects.create(
        data_request=data_request,
        action=action,
        from_state=from_state,
        to_state=to_state,
        note=note,
        actor=by,
        mail=mail,
        at=now,
    )


def _file(
    company,
    *,
    kind,
    person,
    requester_name,
    requester_email,
    details,
    channel,
    identity_check,
    by,
    request,
    now,
    audit_data,
):
    """A request received: the row, its FILED event (收件) and the audit entry
    ``privacy.request_filed``. Runs inside the caller's transaction."""
    data_request = DataRequest.objects.create(
        company=company,
        kind=kind,
        person=person,
        requester_name=requester_name,
        requester_email=requester_email,
        details=details,
        channel=channel,
        identity_check=identity_check,
        filed_by=by,
        created_at=now,
    )
    _event(data_request, DataRequestEvent.Action.FILED, by=by, to_state=State.RECEIVED, now=now)
    audit.record(
        "privacy.request_filed",
        request=request,
        actor=by,
        obj=data_request,
        company=company.ubn,
        kind=kind,
        person=person,
        **audit_data,
    )
    return data_request


# Only for a form sent without its one-time token (a page rendered before the token existed):
# a request the same as one filed this recently is taken as that one sent again.
REPEAT_WINDOW = datetime.timedelta(minutes=10)
ONCE_ACTION = "privacy.request"


def _sent_before(company, token, now, **same):
    """In the caller's transaction: ``(use, None)`` the form's first sending, the caller files
    and points ``use`` at the request (``once.done``); ``(None, request)`` the request the form
    with ``token`` filed before, marked ``repeated``. Without a token, the company's request
    filed within ``REPEAT_WINDOW`` with the fields ``same`` (or None) is the one filed before."""
    if token is None:
        return None, _just_filed(company, now, **same)
    use = once.claim(token, ONCE_ACTION)
    if use is not None:
        return use, None
    found = once.made(token, ONCE_ACTION, DataRequest.objects.filter(company=company))
    if found is None:
        raise DataRequestError(once.SENT_BEFORE)
    found.repeated = True
    return None, found


def _just_filed(company, now, **same):
    """The company's request filed within ``REPEAT_WINDOW`` with the fields ``same``, marked
    ``repeated``, or None. Locks the company's row (in the caller's transaction), so two sent
    together cannot both be filed."""
    Company.objects.select_for_update().filter(pk=company.pk).first()
    found = (
        DataRequest.objects.filter(company=company, created_at__gte=now - REPEAT_WINDOW, **same)
        .order_by("-created_at")
        .first()
    )
    if found is not None:
        found.repeated = True
    return found


def file_request(
    company,
    *,
    kind,
    person,
    requester_name,
    requester_email,
    details,
    by,
    request=None,
    token=None,
):
    """A company files a request for one of its contacts (or someone else it names), online.

    The form sent again with the same one-time ``token`` (``core.once``: the back button, a
    second click, another tab) files nothing: the one it filed is returned with ``repeated``
    set. Without a token, the same request sent within ``REPEAT_WINDOW`` is taken as sent
    again."""
    now = timezone.now()
    with transaction.atomic():
        use, same = _sent_before(
            company,
            token,
            now,
            channel=Channel.ONLINE,
            kind=kind,
            person=person,
            requester_name=requester_name,
            requester_email=requester_email,
            details=details,
        )
        if same is not None:
            return same
        data_request = _file(
            company,
            kind=kind,
            person=person,
            requester_name=requester_name,
            requester_email=requester_email,
            details=details,
            channel=Channel.ONLINE,
            identity_check="",
            by=by,
            request=request,
            now=now,
            audit_data={},
        )
        if use is not None:
            once.done(use, data_request)
        if kind == Kind.COPY:
            # Nothing to decide: the copy is the company's own contacts' data, given at once.
            with translation.override("zh-hant"):
                outcome = str(COPY_OUTCOME)
            data_request.state = State.COMPLETED
            data_request.outcome = outcome
            data_request.handled_at = now
            data_request.save(update_fields=["state", "outcome", "handled_at"])
            _event(
                data_request,
                DataRequestEvent.Action.STATE,
                by=by,
                from_state=State.RECEIVED,
                to_state=State.COMPLETED,
                note=outcome,
                now=now,
            )
    data_request.repeated = False
    return data_request


def record_request(
    company,
    *,
    kind,
    person,
    requester_name,
    requester_email,
    details,
    channel,
    identity_check,
    by,
    request=None,
    token=None,
):
    """The operator records a request a data subject made by e-mail, phone, at the counter or
    in writing, on their behalf, with how their identity was checked. Every kind starts 收件,
    a copy too: the operator downloads the data subject's own entries from the request's page
    (``staff_views.copy_download``), hands them over and then completes the request. The form
    sent again with the same one-time ``token`` (the back button, a second click) records
    nothing: the one recorded is returned with ``repeated`` set (without a token, the same
    request within ``REPEAT_WINDOW``)."""
    if channel not in STAFF_CHANNELS:
        raise DataRequestError(_("請選擇收件方式"))
    identity_check = (identity_check or "").strip()
    if not identity_check:
        raise DataRequestError(_("請填寫身分查驗說明"))
    now = timezone.now()
    with transaction.atomic():
        use, same = _sent_before(
            company,
            token,
            now,
            channel=channel,
            kind=kind,
            person=person,
            requester_name=requester_name,
            requester_email=requester_email,
            details=details,
            identity_check=identity_check,
        )
        if same is not None:
            return same
        data_request = _file(
            company,
            kind=kind,
            person=person,
            requester_name=requester_name,
            requester_email=requester_email,
            details=details,
            channel=channel,
            identity_check=identity_check,
            by=by,
            request=request,
            now=now,
            audit_data={"channel": str(channel), "on_behalf": True},
        )
        if use is not None:
            once.done(use, data_request)
    data_request.repeated = False
    return data_request


def record_copy_download(data_request, fmt, *, by, request=None):
    """A company downloaded the copy of a fulfilled 製給複製本 request, or the operator the copy
    of one recorded on the data subject's behalf (to hand it over)."""
    now = timezone.now()
    _event(data_request, DataRequestEvent.Action.COPY, by=by, note=fmt.upper(), now=now)
    audit.record("privacy.copy_downloaded", request=request, actor=by, obj=data_request, format=fmt)


def render_mail(data_request):
    """Subject and body of the mail that closes a request: zh-Hant, then English, from the
    operator-editable template ``privacy_refused`` or ``privacy_completed`` (``core.notices``)."""
    filed_on = timezone.localtime(data_request.created_at).date()

    def context(language):
        return {
            "name": data_request.requester_name,
            "company": data_request.company.name,
            "reference": data_request.reference,
            "kind": Kind(data_request.kind).label,
            "state": State(data_request.state).label,
            "outcome": data_request.outcome,
            "filed_on": format_date_in(filed_on, language),
            **notices.service_contact(current_call()),
        }

    refused = data_request.state == State.REFUSED
    return notices.bilingual("privacy_refused" if refused else "privacy_completed", context)


def _lock(data_request):
    return (
        DataRequest.objects.select_for_update(of=("self",))
        .select_related("company")
        .get(pk=data_request.pk)
    )


def _set_state(locked, to_state, *, note, by, now, request=None):
    from_state = locked.state
    locked.state = to_state
    if to_state in (State.COMPLETED, State.REFUSED):
        locked.outcome = note
    locked.handled_by = by
    locked.handled_at = now
    locked.save(update_fields=["state", "outcome", "handled_by", "handled_at"])
    mail = None
    if to_state in (State.COMPLETED, State.REFUSED):
        subject, body = render_mail(locked)
        mail = send_mail_stored(to=[locked.requester_email], subject=subject, body=body, now=now)
    _event(
        locked,
        DataRequestEvent.Action.STATE,
        by=by,
        from_state=from_state,
        to_state=to_state,
        note=note,
        mail=mail,
        now=now,
    )
    audit.record(
        "privacy.request_state",
        request=request,
        actor=by,
        obj=locked,
        kind=locked.kind,
        from_state=from_state,
        to_state=to_state,
        note=note,
    )
    return locked


def change_state(data_request, to_state, *, note="", by, request=None):
    """Move a request along ``TRANSITIONS``. Refusing needs a reason; completing a 停止 request
    needs the decision written down; an accepted deletion goes through ``accept_deletion``."""
    note = (note or "").strip()
    now = timezone.now()
    with transaction.atomic():
        locked = _lock(data_request)
        if to_state not in TRANSITIONS[State(locked.state)]:
            raise DataRequestError(
                _("此請求目前為「%(state)s」，不能改為「%(to)s」")
                % {"state": State(locked.state).label, "to": State(to_state).label}
            )
        if to_state == State.REFUSED and not note:
            raise DataRequestError(_("請填寫不予受理的理由"))
        if to_state == State.COMPLETED:
            if locked.kind == Kind.DELETE:
                raise DataRequestError(_("接受刪除請求時，請使用「刪除個人資料」並說明理由"))
            if locked.kind == Kind.STOP and not note:
                raise DataRequestError(_("請填寫處理結果說明（停止蒐集、處理、利用的範圍及理由）"))
        return _set_state(locked, to_state, note=note, by=by, now=now, request=request)


def _start_if_received(locked, *, by, now, request=None):
    if locked.state == State.RECEIVED:
        _set_state(locked, State.IN_PROGRESS, note="", by=by, now=now, request=request)


def correctable_applications(data_request):
    return _applications(data_request.company).order_by("-call__year", "-id")


def correct_profile(data_request, application, values, *, by, request=None):
    """補充或更正: set the contact fields ``values`` (name → new value) of ``application``'s
    profile. A submitted application gets a new version. Before and after go to the audit log.
    Returns the changes as {field: {"before": …, "after": …}}."""
    now = timezone.now()
    with transaction.atomic():
        locked = _lock(data_request)
        if locked.kind != Kind.CORRECT or not locked.is_open:
            raise DataRequestError(_("只有處理中的「補充或更正」請求可以更正個人資料"))
        app = (
            Application.objects.select_for_update(of=("self",))
            .select_related("call", "company")
            .get(pk=application.pk)
        )
        if app.company_id != locked.company_id:
            raise DataRequestError(_("此申請案不屬於提出請求的企業"))
        profile = app.section("profile")
        changes = {}
        for name in CONTACT_FIELDS:
            if name not in values:
                continue
            before, after = profile.get(name) or "", values[name] or ""
            if before != after:
                changes[name] = {"before": before, "after": after}
                profile[name] = after
        if not changes:
            raise DataRequestError(_("沒有任何欄位變更"))
        _start_if_received(locked, by=by, now=now, request=request)
        app.data = {**app.data, "profile": profile}
        app.revision += 1
        version = None
        if app.is_submitted:
            snapshot = submission_snapshot(app)
            app.fingerprint = fingerprint(snapshot)
            last = app.versions.order_by("-number").first()
            version = ApplicationVersion.objects.create(
                application=app,
                number=(last.number if last else 0) + 1,
                data=snapshot,
                fingerprint=app.fingerprint,
                changed_fields=[f"profile.{name}" for name in changes],
                created_by=by,
                created_at=now,
            )
        app.save()
        with translation.override("zh-hant"):
            labels = "、".join(str(field_label(name)) for name in changes)
        _event(
            locked,
            DataRequestEvent.Action.CORRECTED,
            by=by,
            note=f"{app.number or app.pk}：{labels}",
            now=now,
        )
        audit.record(
            "privacy.profile_corrected",
            request=request,
            actor=by,
            obj=app,
            data_request=locked.pk,
            version=version.number if version else None,
            # The field names only: the old values are personal data the hash-chained log
            # could never erase.
            fields=sorted(changes),
        )
    return changes


ERASED_NAME = "（已刪除）"


def _who(profile, slot):
    """The contact in ``slot`` of a profile: (e-mail address in lower case, name)."""
    prefix = PERSON_FIELDS[slot][0].removesuffix("_name")
    email = str(profile.get(f"{prefix}_email") or "").strip().lower()
    return email, str(profile.get(f"{prefix}_name") or "").strip()


def _identities(company, slots):
    """Who the ticked contact slots are: the e-mail addresses (lower case) and names those
    slots hold in the company's application of the latest call that has them."""
    emails, names = set(), set()
    for app in Application.objects.filter(company=company).order_by("-call__year", "-pk"):
        profile = app.section("profile")
        for slot in slots:
            email, name = _who(profile, Person(slot))
            if email:
                emails.add(email)
            if name:
                names.add(name)
        if emails or names:
            break
    return emails, names


def _erase_person(profile, emails, names):
    """Blank, in a profile dict, every contact slot that holds one of these people (by e-mail;
    by name where the slot has no e-mail). Returns whether anything changed."""
    changed = False
    for slot in CONTACT_SLOTS:
        email, name = _who(profile, slot)
        if (email and email in emails) or (not email and name and name in names):
            for field in PERSON_FIELDS[slot]:
                if profile.get(field):
                    profile[field] = ""
                    changed = True
    return changed


def erase_personal_data(company, slots, *, by, data_request=None, request=None):
    """Erase the people in the ticked contact ``slots`` of the company's latest application:
    wherever they appear — in any contact slot of any of the company's applications and of all
    their versions (by e-mail address, or by name where a slot has no address) — and in the mails
    sent to them (address replaced, name removed from the text), and in the company's other
    personal-data requests. Someone else who held the same slot in another application is left
    alone. Returns counts of what was changed.

    Kept: the versions' fingerprints (the receipts print them; the audit log says why the
    content no longer matches), and ``data_request`` itself, the minimal record that the
    deletion was asked for and done.
    """
    emails, names = _identities(company, slots)
    if data_request is not None and data_request.requester_email:
        emails.add(data_request.requester_email.strip().lower())
    counts = {"applications": 0, "versions": 0, "mails": 0, "requests": 0}
    with transaction.atomic():
        apps = Application.objects.select_for_update().filter(company=company).order_by("pk")
        for app in apps:
            profile = app.section("profile")
            if _erase_person(profile, emails, names):
                app.data = {**app.data, "profile": profile}
                app.revision += 1
                app.save(update_fields=["data", "revision", "updated_at"])
                counts["applications"] += 1
            for version in ApplicationVersion.objects.filter(application=app).order_by("pk"):
                answers = dict(version.data.get("answers") or {})
                profile = dict(answers.get("profile") or {})
                if _erase_person(profile, emails, names):
                    answers["profile"] = profile
                    version.data = {**version.data, "answers": answers}
                    version.save(update_fields=["data"])
                    counts["versions"] += 1
        mails = SentMail.objects.filter(
            Q(application__company=company) | Q(application__isnull=True)
        ).order_by("pk")
        for mail in mails:
            if not any(str(address).strip().lower() in emails for address in mail.to):
                continue
            mail.to = [
                ERASED_ADDRESS if str(address).strip().lower() in emails else address
                for address in mail.to
            ]
            for name in names:
                mail.body = mail.body.replace(name, ERASED_NAME)
                mail.subject = mail.subject.replace(name, ERASED_NAME)
            mail.save(update_fields=["to", "body", "subject"])
            counts["mails"] += 1
        others = DataRequest.objects.filter(company=company)
        if data_request is not None:
            others = others.exclude(pk=data_request.pk)
        for other in others:
            if other.requester_email.strip().lower() in emails or other.requester_name in names:
                other.requester_name = ERASED_NAME
                other.requester_email = ERASED_ADDRESS
                other.details = ""
                other.identity_check = ""
                other.save(
                    update_fields=["requester_name", "requester_email", "details", "identity_check"]
                )
                counts["requests"] += 1
        audit.record(
            "privacy.personal_data_erased",
            request=request,
            actor=by,
            obj=company,
            data_request=data_request.pk if data_request else None,
            slots=list(slots),
            people=len(emails | names),
            **counts,
        )
    return counts


def accept_deletion(data_request, slots, *, note, by, request=None):
    """刪除 accepted: erase the contact slots' data, then complete the request with the
    operator's reasons. Refusing (e.g. the data is needed for the 3-year follow-up) is
    ``change_state(..., State.REFUSED, note=...)``."""
    note = (note or "").strip()
    if not slots:
        raise DataRequestError(_("請選擇要刪除的聯絡人資料"))
    if not note:
        raise DataRequestError(_("請填寫處理結果說明"))
    now = timezone.now()
    with transaction.atomic():
        locked = _lock(data_request)
        if locked.kind != Kind.DELETE or not locked.is_open:
            raise DataRequestError(_("只有處理中的「刪除」請求可以刪除個人資料"))
        _start_if_received(locked, by=by, now=now, request=request)
        counts = erase_personal_data(
            locked.company, slots, by=by, data_request=locked, request=request
        )
        with translation.override("zh-hant"):
            people = "、".join(str(Person(slot).label) for slot in slots)
            summary = _(
                "已刪除%(people)s之個人資料：申請案 %(applications)d 件、版本 %(versions)d 筆、"
                "郵件收件者 %(mails)d 封。"
            ) % {"people": people, **counts}
        _event(locked, DataRequestEvent.Action.ERASED, by=by, note=summary, now=now)
        _set_state(locked, State.COMPLETED, note=note, by=by, now=now, request=request)
    return counts


def withheld_addresses(company_id):
    """Addresses of the company's data subjects whose request to stop the collection,
    processing and use of their data was accepted (completed): no mail goes to them."""
    emails = DataRequest.objects.filter(
        company_id=company_id, kind=Kind.STOP, state=State.COMPLETED
    ).values_list("requester_email", flat=True)
    return frozenset(email.strip().lower() for email in emails)


def is_contact_on_file(data_request):
    """Whether the requester's e-mail address is a contact's in one of the company's
    applications: the operator's first check that the request comes from the data subject
    (the company files it, and may name anyone under 其他; the operator records the identity
    check of a request taken on the data subject's behalf)."""
    email = data_request.requester_email.strip().lower()
    if not email:
        return False
    for app in Application.objects.filter(company_id=data_request.company_id):
        profile = app.section("profile")
        if any(_who(profile, slot)[0] == email for slot in CONTACT_SLOTS):
            return True
    return False
