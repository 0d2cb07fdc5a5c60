"""The company's personal-data page (/privacy/): what the platform holds about its contacts,
the form to file a request (個人資料保護法 第3條), its requests with their state, and the
copy (製給複製本) as JSON or CSV. A company sees only its own requests, those the operator
recorded on a data subject's behalf included; others' are a 404.
"""

import json

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aipower.accounts.decorators import company_required
from aipower.accounts.resume import resumable
from aipower.core import once

from . import services
from .enums import Channel, Kind, State
from .forms import RequestForm, contacts_on_file
from .models import DataRequest


def _page(request, form=None, status=200):
    company = request.user.company
    held = services.held_data(company)
    if form is None:
        form = RequestForm(contacts=contacts_on_file(held))
    context = {
        "held": held,
        "form": form,
        "requests": company.data_requests.all(),
    }
    return render(request, "privacy/index.html", context, status=status)


@company_required
@resumable
def index(request):
    if request.method != "POST":
        return _page(request)
    company = request.user.company
    form = RequestForm(request.POST, contacts=contacts_on_file(services.held_data(company)))
    if not form.is_valid():
        return _page(request, form=form)
    data = form.cleaned_data
    try:
        data_request = services.file_request(
            company,
            kind=data["kind"],
            person=data["subject"],
            requester_name=data["requester_name"].strip(),
            requester_email=data["requester_email"],
            details=data["details"].strip(),
            by=request.user,
            request=request,
            token=once.posted(request),
        )
    except services.DataRequestError as error:
        form.add_error(None, error.message)
        return _page(request, form=form)
    if data_request.repeated:
        messages.info(
            request,
            _("此請求剛才已收到（編號 %(reference)s），本次未重複送出。")
            % {"reference": data_request.reference},
        )
    elif data_request.kind == Kind.COPY:
        messages.success(request, _("已製給複製本，請由下方請求紀錄下載（JSON 或 CSV）。"))
    else:
        messages.success(
            request,
            _("已收到您的請求（編號 %(reference)s），處理完成後將以電子郵件通知當事人。")
            % {"reference": data_request.reference},
        )
    return redirect(reverse("privacy:index") + f"#request-{data_request.pk}")


@company_required
def copy_download(request, pk, fmt):
    if fmt not in ("json", "csv"):
        raise Http404
    data_request = get_object_or_404(
        DataRequest,
        pk=pk,
        company_id=request.user.company_id,
        kind=Kind.COPY,
        state=State.COMPLETED,
        # A copy asked for by e-mail, phone, at the counter or in writing is handed over by the
        # operator outside the platform: only the company's own online request downloads it.
        channel=Channel.ONLINE,
    )
    response = copy_response(request.user.company, fmt)
    services.record_copy_download(data_request, fmt, by=request.user, request=request)
    return response


def copy_response(company, fmt, *, email=None, name=""):
    """The copy as a JSON or CSV attachment, never cached (``email``: one data subject's only;
    ``name``: a part of the file name after the 統一編號)."""
    stamp = timezone.localdate().strftime("%Y%m%d")
    filename = "-".join(part for part in ("personal-data", company.ubn, name, stamp) if part)
    if fmt == "json":
        document = services.copy_document(company, email=email)
        content = json.dumps(document, ensure_ascii=False, indent=2)
        response = HttpResponse(content, content_type="application/json; charset=utf-8")
    else:
        content = services.copy_csv(company, email=email)
        response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response
