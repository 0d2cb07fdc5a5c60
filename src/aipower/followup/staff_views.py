"""The operator's productisation survey pages (/staff/followup/): the rounds with their counts,
opening a round and changing its title or dates (operator), one round's awards with each
company's standing (已填報 / 未填報 / 逾期), filtered, printable and exported as CSV, and one
company's response with its versions.

The operator and the organiser see everything (the organiser read-only); reviewers nothing.
Opening and changing rounds, exports, prints and opening a response go to the audit log.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from aipower.accounts.decorators import staff_required
from aipower.core import audit
from aipower.core.csvcells import csv_download, safe_cell

from . import rules, services
from .enums import Status
from .forms import RoundForm, answer_rows
from .models import Notice, Round


def _round(round_id):
    return get_object_or_404(Round.objects.select_related("call", "opened_by"), pk=round_id)


@staff_required(*rules.FOLLOWUP_VIEWERS)
def index(request):
    today = timezone.localdate()
    rounds = list(Round.objects.select_related("call"))
    standings = services.standings_by_round(rounds, today=today)
    rounds = [
        {
            "round": round_,
            "total": len(standings[round_.pk]),
            "counts": services.counts(standings[round_.pk]),
        }
        for round_ in rounds
    ]
    context = {"rounds": rounds, "can_manage": rules.can_manage_rounds(request.user)}
    return render(request, "followup/staff/index.html", context)


def _round_form_page(request, form, round_=None, status=200):
    context = {"form": form, "round": round_}
    return render(request, "followup/staff/round_form.html", context, status=status)


def _apply_errors(form, error):
    for field, errors in error.message_dict.items():
        for message in errors:
            form.add_error(field if field in form.fields else None, message)


@staff_required(*rules.ROUND_MANAGERS)
@require_http_methods(["GET", "POST"])
def open_round(request):
    if request.method == "GET":
        return _round_form_page(request, RoundForm())
    form = RoundForm(request.POST)
    if not form.is_valid():
        return _round_form_page(request, form, status=400)
    data = form.cleaned_data
    try:
        round_ = services.open_round(
            call=data["call"],
            title=data["title"],
            title_en=data["title_en"],
            opens_on=data["opens_on"],
            due_on=data["due_on"],
            by=request.user,
            request=request,
        )
    except ValidationError as error:
        _apply_errors(form, error)
        return _round_form_page(request, form, status=400)
    messages.success(request, _("已開啟「%(title)s」。") % {"title": round_.shown_title})
    return redirect("followup_staff:round", round_id=round_.pk)


@staff_required(*rules.ROUND_MANAGERS)
@require_http_methods(["GET", "POST"])
def change_round(request, round_id):
    round_ = _round(round_id)
    if request.method == "GET":
        return _round_form_page(request, RoundForm(instance=round_), round_)
    form = RoundForm(request.POST, instance=round_)
    if not form.is_valid():
        return _round_form_page(request, form, round_, status=400)
    data = form.cleaned_data
    try:
        services.change_round(
            round_,
            title=data["title"],
            title_en=data["title_en"],
            opens_on=data["opens_on"],
            due_on=data["due_on"],
            by=request.user,
            request=request,
        )
    except ValidationError as error:
        _apply_errors(form, error)
        return _round_form_page(request, form, round_, status=400)
    messages.success(request, _("已更新「%(title)s」。") % {"title": round_.shown_title})
    return redirect("followup_staff:round", round_id=round_.pk)


FILTER_LABELS = {"": None, **{status.value: status.label for status in Status}}


def _filter_name(request):
    name = request.GET.get("status", "")
    return name if name in services.FILTERS else ""


def _rows(request, round_):
    everything = services.standings(round_)
    name = _filter_name(request)
    return everything, services.filtered(everything, name), name


def _filters(everything, current):
    counts = services.counts(everything)
    return [
        {
            "name": name,
            "label": label or _("全部"),
            "count": counts[name],
            "current": name == current,
        }
        for name, label in FILTER_LABELS.items()
    ]


@staff_required(*rules.FOLLOWUP_VIEWERS)
def round_detail(request, round_id):
    round_ = _round(round_id)
    everything, rows, name = _rows(request, round_)
    context = {
        "round": round_,
        "rows": rows,
        "filters": _filters(everything, name),
        "status": name,
        "accepting": services.accepting(round_),
        "started": services.started(round_),
        "can_manage": rules.can_manage_rounds(request.user),
    }
    return render(request, "followup/staff/round.html", context)


@staff_required(*rules.FOLLOWUP_VIEWERS)
def printable(request, round_id):
    round_ = _round(round_id)
    everything, rows, name = _rows(request, round_)
    filter_label = next(f["label"] for f in _filters(everything, name) if f["current"])
    audit.record("followup.printed", request=request, obj=round_, filter=name, rows=len(rows))
    context = {
        "round": round_,
        "rows": rows,
        "filter_label": filter_label,
        "printed_at": timezone.now(),
    }
    return render(request, "followup/staff/print.html", context)


def _question_labels():
    return [str(label) for _name, label, _shown in answer_rows({})]


@staff_required(*rules.FOLLOWUP_VIEWERS)
def export_csv(request, round_id):
    round_ = _round(round_id)
    _everything, rows, name = _rows(request, round_)
    suffix = f"-{name}" if name else ""
    filename = f"followup-{round_.pk}-{timezone.localdate():%Y%m%d}{suffix}.csv"
    response, writer = csv_download(filename)
    writer.writerow(
        [
            _("申請編號"),
            _("企業名稱"),
            _("統一編號"),
            _("申請類別"),
            _("使用期間迄"),
            _("狀態"),
            _("版次"),
            _("填報時間"),
            _("申請時預計產出模型（項）"),
            _("申請時預計產出應用（項）"),
            *_question_labels(),
        ]
    )
    for row in rows:
        allowance, latest, planned = row.allowance, row.latest, row.planned
        answers = [shown for _name, _label, shown in answer_rows(latest.data)] if latest else []
        at = timezone.localtime(latest.submitted_at).strftime("%Y-%m-%d %H:%M") if latest else ""
        writer.writerow(
            [
                safe_cell(row.award.application.number or ""),
                safe_cell(allowance.company.name),
                safe_cell(allowance.company.ubn),
                allowance.get_kind_display(),
                allowance.ends_on.isoformat(),
                row.status_label,
                latest.number if latest else "",
                at,
                "" if planned["models"] is None else planned["models"],
                "" if planned["applications"] is None else planned["applications"],
                *[safe_cell(value) for value in answers],
            ]
        )
    audit.record("followup.exported", request=request, obj=round_, filter=name, rows=len(rows))
    return response


@staff_required(*rules.FOLLOWUP_VIEWERS)
def response_detail(request, round_id, award_id):
    round_ = _round(round_id)
    standing = services.standing_of(round_, award_id)
    if standing is None:
        raise Http404
    versions = [
        {"version": version, "rows": answer_rows(version.data)} for version in standing.versions
    ]
    audit.record(
        "followup.response_viewed",
        request=request,
        obj=round_,
        award=award_id,
        versions=len(versions),
    )
    # The reminders the company was sent for this round (before the due date, once overdue).
    notices = Notice.objects.filter(round=round_, award_id=award_id).select_related("mail")
    context = {
        "round": round_,
        "standing": standing,
        "versions": versions,
        "notices": notices.order_by("sent_at", "pk"),
    }
    return render(request, "followup/staff/response.html", context)
