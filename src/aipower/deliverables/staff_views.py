"""The operator's deliverables pages (/staff/deliverables/): every award with its due date and
each item's status, filtered by 逾期 (overdue) or 未繳齊 (incomplete); one award's hand-ins with
downloads and the product demo meeting (training awards), recorded by the operator; a printable
list and a CSV export.

The operator and the organiser see everything (the organiser read-only); reviewers nothing.
Downloads, exports and attendance records go to the audit log.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aipower.accounts.decorators import staff_required
from aipower.core import audit
from aipower.core.csvcells import csv_download, safe_cell

from . import rules, services
from .enums import Item
from .forms import AttendanceForm
from .models import Notice, Submission
from .responses import file_response

# As the staff's other long lists (the mail log, the audit log).
PER_PAGE = 50


def _filter_name(request):
    name = request.GET.get("status", "")
    return name if name in services.FILTERS else ""


def _search(request):
    """What the list's search box holds (a company name, 統一編號 or application number)."""
    return request.GET.get("q", "").strip()[:100]


def _rows(request):
    """Every row of the filter and search asked for, with its standing (the printable list,
    the CSV)."""
    today = timezone.localdate()
    name = _filter_name(request)
    rows = services.listed(name, today, _search(request))
    return services.obligations(rows, today), name


def _labels():
    return {"": _("全部"), "overdue": _("逾期"), "incomplete": _("未繳齊")}


def _list_query(name, search):
    """The query string of the list under the filter ``name`` and the search ``search``."""
    return urlencode({"status": name, **({"q": search} if search else {})})


def _filters(counts, current, search=""):
    labels = _labels()
    return [
        {
            "name": name,
            "label": labels[name],
            "count": counts[name],
            "current": name == current,
            "query": _list_query(name, search),
        }
        for name in ("", "overdue", "incomplete")
    ]


@staff_required(*rules.DELIVERABLES_VIEWERS)
def index(request):
    today = timezone.localdate()
    name = _filter_name(request)
    # The filters' counts in one query; the standing (hand-ins, demo meetings) of the page's
    # rows only. The printable list and the CSV keep every row.
    search = _search(request)
    counts = services.filter_counts(today, search)
    paginator = Paginator(services.listed(name, today, search), PER_PAGE)
    paginator.count = counts[name]  # already counted: no second COUNT query
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "rows": services.obligations(page.object_list, today),
        "page": page,
        "query": query.urlencode(),
        "filters": _filters(counts, name, search),
        "status": name,
        "search": search,
        # The printable list and the CSV: the same filter and search.
        "list_query": _list_query(name, search),
        "items": list(Item),
    }
    return render(request, "deliverables/staff/index.html", context)


@staff_required(*rules.DELIVERABLES_VIEWERS)
def printable(request):
    rows, name = _rows(request)
    context = {
        "rows": rows,
        "items": list(Item),
        "filter_label": _labels()[name],
        "search": _search(request),
        "printed_at": timezone.now(),
    }
    # As the CSV export: the list leaves the system on paper.
    audit.record(
        "deliverables.printed",
        request=request,
        filter=name,
        search=_search(request),
        rows=len(rows),
    )
    return render(request, "deliverables/staff/print.html", context)


def _item_cell(status):
    if status.latest is None:
        return str(status.state_label)
    at = timezone.localtime(status.latest.submitted_at).strftime("%Y-%m-%d %H:%M")
    return f"{status.state_label} {at}"


def _attendance_cell(ob):
    if not ob.training:
        return _("不適用")
    if ob.attendance is None:
        return _("未登錄")
    label = _("出席") if ob.attendance.attended else _("未出席")
    return f"{label} {ob.attendance.meeting_on.isoformat()}"


@staff_required(*rules.DELIVERABLES_VIEWERS)
def export_csv(request):
    rows, name = _rows(request)
    suffix = f"-{name}" if name else ""
    filename = f"deliverables-{timezone.localdate():%Y%m%d}{suffix}.csv"
    response, writer = csv_download(filename)
    writer.writerow(
        [
            _("申請編號"),
            _("企業名稱"),
            _("統一編號"),
            _("申請類別"),
            _("使用期間迄"),
            _("繳交期限"),
            _("狀態"),
            *[item.label for item in Item],
            _("產品demo會議"),
        ]
    )
    for ob in rows:
        allowance = ob.allowance
        writer.writerow(
            [
                safe_cell(ob.award.application.number),
                safe_cell(allowance.company.name),
                safe_cell(allowance.company.ubn),
                allowance.get_kind_display(),
                allowance.ends_on.isoformat(),
                ob.due_on.isoformat(),
                ob.status_label,
                *[_item_cell(status) for status in ob.items],
                _attendance_cell(ob),
            ]
        )
    audit.record(
        "deliverables.exported",
        request=request,
        filter=name,
        search=_search(request),
        rows=len(rows),
    )
    return response


def _award_page(request, allowance, form=None, status=200):
    ob = services.obligation(allowance)
    can_record = rules.can_record_demo_attendance(request.user) and ob.training
    if can_record and form is None:
        form = AttendanceForm(starts_on=allowance.starts_on)
    # The reminders the company was sent (before the due date, once overdue), with their mail.
    notices = Notice.objects.filter(award_id=allowance.award_id).select_related("mail")
    context = {
        "ob": ob,
        "form": form if can_record else None,
        "notices": notices.order_by("sent_at", "pk"),
    }
    return render(request, "deliverables/staff/detail.html", context, status=status)


@staff_required(*rules.DELIVERABLES_VIEWERS)
def detail(request, award_id):
    allowance = get_object_or_404(services.allowances(), award_id=award_id)
    return _award_page(request, allowance)


@staff_required(*rules.DEMO_ATTENDANCE_RECORDERS)
@require_POST
def record_attendance(request, award_id):
    allowance = get_object_or_404(services.allowances(), award_id=award_id)
    if not services.obligation(allowance).training:
        raise Http404
    form = AttendanceForm(request.POST, starts_on=allowance.starts_on)
    if not form.is_valid():
        return _award_page(request, allowance, form=form)
    services.record_attendance(
        allowance,
        attended=form.cleaned_data["attended"],
        meeting_on=form.cleaned_data["meeting_on"],
        note=form.cleaned_data["note"],
        by=request.user,
        request=request,
    )
    messages.success(request, _("已登錄產品demo會議出席紀錄。"))
    return redirect("deliverables_staff:detail", award_id=award_id)


@staff_required(*rules.DELIVERABLES_VIEWERS)
def download(request, pk):
    submission = get_object_or_404(Submission, pk=pk)
    if not submission.file:
        raise Http404
    response = file_response(submission)
    audit.record(
        "deliverables.downloaded",
        request=request,
        obj=submission,
        award=submission.award_id,
        item=submission.item,
        file=submission.original_name,
    )
    return response
