"""The company's productisation survey (/followup/<round>/): its standing, what the
application planned, the form (「儲存草稿」 at any time, 「送出」 with every rule) while the round
accepts answers, what it submitted, and its earlier versions. A company sees only rounds
covering its own awards; any other round, or one not opened yet, is a 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from aipower.accounts.decorators import company_required
from aipower.accounts.resume import resumable

from . import services
from .forms import SurveyForm, answer_rows
from .models import Round


def _page(request, standing, form=None, status=200):
    if form is None and standing.accepting:
        form = SurveyForm(
            app=standing.application, planned=standing.planned, initial=standing.answers()
        )
    context = {
        "standing": standing,
        "round": standing.round,
        "form": form,
        "latest_rows": answer_rows(standing.latest.data) if standing.latest else [],
    }
    return render(request, "followup/survey.html", context, status=status)


@company_required
@resumable
@require_http_methods(["GET", "POST"])
def survey(request, round_id):
    round_ = get_object_or_404(Round.objects.select_related("call"), pk=round_id)
    standing = services.company_standing(round_, request.user.company_id)
    if standing is None:
        raise Http404
    if request.method == "GET":
        return _page(request, standing)
    if not standing.accepting:
        messages.error(request, _("本次產品化調查目前未開放填報"))
        return redirect("followup:survey", round_id=round_.pk)
    submitting = request.POST.get("action") == "submit"
    form = SurveyForm(
        request.POST, app=standing.application, planned=standing.planned, draft=not submitting
    )
    valid = form.is_valid()
    try:
        if submitting and valid:
            version = services.submit(
                standing, form.stored_values(), by=request.user, request=request
            )
        else:
            services.save_draft(standing, form.stored_values())
    except ValidationError as error:  # the round closed meanwhile
        messages.error(request, error.messages[0])
        return redirect("followup:survey", round_id=round_.pk)
    if not valid:
        if submitting:
            messages.error(request, _("尚未送出：有欄位需要修正，請參考欄位旁的說明（已儲存草稿）"))
        else:
            messages.warning(request, _("已儲存草稿，但有欄位需要修正，請參考欄位旁的說明"))
        return _page(request, standing, form=form, status=400 if submitting else 200)
    if submitting and version.repeated:
        messages.info(
            request,
            _("產品化調查第 %(number)s 版已送出，本次內容相同，未重複送出。")
            % {"number": version.number},
        )
    elif submitting:
        messages.success(
            request,
            _("已送出產品化調查（第 %(number)s 版），謝謝。") % {"number": version.number},
        )
    else:
        messages.success(request, _("已儲存草稿。"))
    return redirect("followup:survey", round_id=round_.pk)
