"""The staff's personal-data request pages (/staff/privacy/): every request, open ones first;
the operator's form to record a request a data subject made by e-mail, phone, at the counter or
in writing (/staff/privacy/new/); one request with its history, its state transitions and the
outcome note; for 補充或更正 the correction of an application's contact fields; for 刪除 the
decision and the erasure.

The operator handles requests; the organiser reads them; reviewers see nothing.
"""

from django.contrib import messages
from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from aipower.accounts.decorators import staff_required
from aipower.applications.models import Application
from aipower.core import audit, once

from . import rules, services
from .enums import OPEN_STATES, TRANSITIONS, Channel, Kind, State
from .forms import CorrectionForm, DeletionForm, StaffRequestForm, TransitionForm, initial_slots
from .models import DataRequest
from .views import copy_response

STATE_ORDER = Case(
    When(state=State.RECEIVED, then=Value(0)),
    When(state=State.IN_PROGRESS, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)

# The buttons of each transition.
ACTION_LABELS = {
    State.IN_PROGRESS: gettext_lazy("開始處理"),
    State.COMPLETED: gettext_lazy("處理完成"),
    State.REFUSED: gettext_lazy("不予受理"),
}


@staff_required(*rules.PRIVACY_VIEWERS)
def index(request):
    show = request.GET.get("show", "")
    requests = DataRequest.objects.select_related("company", "handled_by")
    if show == "open":
        requests = requests.filter(state__in=OPEN_STATES)
    requests = requests.annotate(state_order=STATE_ORDER).order_by("state_order", "created_at")
    open_count = DataRequest.objects.filter(state__in=OPEN_STATES).count()
    requests = list(requests)
    # The list names the people who asked and how to reach them: reading it is in the audit
    # log, as opening one request is.
    audit.record(
        "privacy.requests_listed",
        request=request,
        show=show or "all",
        requests=[data_request.pk for data_request in requests],
    )
    return render(
        request,
        "privacy/staff/index.html",
        {
            "requests": requests,
            "show": show,
            "open_count": open_count,
            "can_handle": rules.can_handle_data_requests(request.user),
        },
    )


@staff_required(*rules.PRIVACY_HANDLERS)
def new(request):
    """Record a data subject's request received outside the platform, on their behalf."""
    if request.method != "POST":
        return render(request, "privacy/staff/new.html", {"form": StaffRequestForm()})
    form = StaffRequestForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            data_request = services.record_request(
                data["company"],
                kind=data["kind"],
                person=data["person"],
                requester_name=data["requester_name"],
                requester_email=data["requester_email"],
                details=data["details"],
                channel=data["channel"],
                identity_check=data["identity_check"],
                by=request.user,
                request=request,
                token=once.posted(request),
            )
        except services.DataRequestError as error:
            form.add_error(None, error.message)
        else:
            if data_request.repeated:
                messages.info(
                    request,
                    _("此請求剛才已登錄（編號 %(reference)s），本次未重複登錄。")
                    % {"reference": data_request.reference},
                )
            else:
                messages.success(
                    request,
                    _("已登錄當事人請求（編號 %(reference)s）。")
                    % {"reference": data_request.reference},
                )
            return redirect(reverse("privacy_staff:index") + f"#request-{data_request.pk}")
    return render(request, "privacy/staff/new.html", {"form": form})


def _transitions(data_request):
    targets = TRANSITIONS[State(data_request.state)]
    if data_request.kind == Kind.DELETE:
        targets = tuple(t for t in targets if t != State.COMPLETED)
    return [{"state": t.value, "label": ACTION_LABELS[t]} for t in targets]


def _hands_over_a_copy(data_request, on_file):
    """A 製給複製本 request the operator recorded (not fulfilled online), from a data subject
    whose address is on file: the operator downloads that person's copy to hand it over."""
    return (
        data_request.kind == Kind.COPY
        and data_request.channel != Channel.ONLINE
        and data_request.state != State.REFUSED
        and on_file
    )


@staff_required(*rules.PRIVACY_HANDLERS)
def copy_download(request, pk, fmt):
    """The data subject's own copy (only the contact slots holding their address), for the
    operator to hand over; written to the request's history and the audit log."""
    data_request = _get(pk)
    on_file = services.is_contact_on_file(data_request)
    if fmt not in ("json", "csv") or not _hands_over_a_copy(data_request, on_file):
        raise Http404
    response = copy_response(
        data_request.company,
        fmt,
        email=data_request.requester_email,
        name=data_request.reference,
    )
    services.record_copy_download(data_request, fmt, by=request.user, request=request)
    return response


def _detail(request, data_request, *, form=None, deletion_form=None, status=200):
    handler = rules.can_handle_data_requests(request.user)
    on_file = services.is_contact_on_file(data_request)
    context = {
        "req": data_request,
        "events": data_request.events.select_related("actor", "mail"),
        "held": services.held_data(data_request.company),
        "on_file": on_file,
        "copy_formats": (
            ["json", "csv"] if handler and _hands_over_a_copy(data_request, on_file) else []
        ),
        "can_handle": handler,
        "transitions": _transitions(data_request) if handler else [],
        "form": form or TransitionForm(),
        "applications": (
            services.correctable_applications(data_request)
            if handler and data_request.kind == Kind.CORRECT and data_request.is_open
            else []
        ),
        "deletion_form": (
            (deletion_form or DeletionForm(initial={"slots": initial_slots(data_request)}))
            if handler and data_request.kind == Kind.DELETE and data_request.is_open
            else None
        ),
    }
    return render(request, "privacy/staff/detail.html", context, status=status)


def _get(pk):
    return get_object_or_404(
        DataRequest.objects.select_related("company", "handled_by", "filed_by"), pk=pk
    )


@staff_required(*rules.PRIVACY_VIEWERS)
def detail(request, pk):
    data_request = _get(pk)
    # The request names a person and their data: staff reading it is in the audit log.
    audit.record("privacy.request_viewed", request=request, obj=data_request)
    return _detail(request, data_request)


@staff_required(*rules.PRIVACY_HANDLERS)
@require_POST
def transition(request, pk):
    data_request = _get(pk)
    form = TransitionForm(request.POST)
    to_state = request.POST.get("to", "")
    if to_state not in State.values or not form.is_valid():
        return _detail(request, data_request, form=form, status=400)
    try:
        with transaction.atomic():
            if not once.first_sending(once.posted(request), "privacy.state", data_request):
                # The same form sent again (a second click, the back button): what it did.
                messages.info(
                    request,
                    _("此請求剛才已改為「%(state)s」，本次未重複處理。")
                    % {"state": State(to_state).label},
                )
                return redirect("privacy_staff:detail", pk=pk)
            services.change_state(
                data_request,
                to_state,
                note=form.cleaned_data["note"],
                by=request.user,
                request=request,
            )
    except services.DataRequestError as error:
        form.add_error("note", error.message)
        return _detail(request, data_request, form=form)
    messages.success(request, _("請求已改為「%(state)s」。") % {"state": State(to_state).label})
    return redirect("privacy_staff:detail", pk=pk)


@staff_required(*rules.PRIVACY_HANDLERS)
def correct(request, pk, application_id):
    data_request = _get(pk)
    if data_request.kind != Kind.CORRECT or not data_request.is_open:
        raise Http404
    application = get_object_or_404(
        Application.objects.select_related("call"),
        pk=application_id,
        company_id=data_request.company_id,
    )
    profile = application.section("profile")
    submitted = application.is_submitted
    if request.method == "POST":
        form = CorrectionForm(request.POST, submitted=submitted)
        if form.is_valid():
            try:
                with transaction.atomic():
                    if not once.first_sending(
                        once.posted(request), "privacy.correct", data_request
                    ):
                        messages.info(request, _("此更正剛才已完成，本次未重複處理。"))
                        return redirect("privacy_staff:detail", pk=pk)
                    changes = services.correct_profile(
                        data_request, application, form.values(), by=request.user, request=request
                    )
            except services.DataRequestError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("已更正 %(count)d 個欄位。") % {"count": len(changes)})
                return redirect("privacy_staff:detail", pk=pk)
    else:
        form = CorrectionForm(initial=profile, submitted=submitted)
        # The form shows the contacts as on file: staff reading them is in the audit log.
        audit.record(
            "privacy.profile_viewed",
            request=request,
            obj=application,
            data_request=data_request.pk,
        )
    context = {"req": data_request, "application": application, "form": form}
    return render(request, "privacy/staff/correct.html", context)


@staff_required(*rules.PRIVACY_HANDLERS)
@require_POST
def erase(request, pk):
    data_request = _get(pk)
    if data_request.kind != Kind.DELETE:
        raise Http404
    form = DeletionForm(request.POST)
    if not form.is_valid():
        return _detail(request, data_request, deletion_form=form)
    try:
        with transaction.atomic():
            if not once.first_sending(once.posted(request), "privacy.erase", data_request):
                messages.info(request, _("個人資料剛才已刪除，本次未重複處理。"))
                return redirect("privacy_staff:detail", pk=pk)
            counts = services.accept_deletion(
                data_request,
                form.cleaned_data["slots"],
                note=form.cleaned_data["note"],
                by=request.user,
                request=request,
            )
    except services.DataRequestError as error:
        form.add_error(None, error.message)
        return _detail(request, data_request, deletion_form=form)
    messages.success(
        request,
        _("已刪除個人資料：申請案 %(applications)d 件、版本 %(versions)d 筆、郵件 %(mails)d 封。")
        % counts,
    )
    return redirect("privacy_staff:detail", pk=pk)
