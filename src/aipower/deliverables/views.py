"""The company's deliverables page (/deliverables/): for each of its awards whose service has
ended, the three items with their status and due date, a form per item (file or https link),
and what was handed in. A company sees only its own awards; anyone else's is a 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from aipower.accounts.decorators import company_required
from aipower.core import bodies

from . import services, validators
from .enums import Item
from .forms import SubmissionForm
from .models import Submission
from .responses import file_response


def _company_allowances(request):
    return services.allowances().filter(company_id=request.user.company_id)


def _page(request, bound=None, status=200):
    """The page; ``bound`` is (award id, item, form) of a refused submission, shown again."""
    today = timezone.localdate()
    rows = [
        ob
        for ob in services.obligations(_company_allowances(request), today)
        if ob.open or any(item.submitted for item in ob.items)
    ]
    for ob in rows:
        for status_ in ob.items:
            if bound and bound[0] == ob.award.pk and bound[1] == status_.item:
                status_.form = bound[2]
            else:
                status_.form = SubmissionForm(
                    item=status_.item, prefix=f"a{ob.award.pk}-{status_.item}"
                )
    return render(request, "deliverables/overview.html", {"rows": rows}, status=status)


@company_required
def overview(request):
    return _page(request)


# CSRF is checked by ``_submit``; the outer view is exempt only so that a body larger than the
# item's limit is refused from its Content-Length before anything reads (and stores) it.
@csrf_exempt
@company_required
@require_POST
def submit(request, award_id, item):
    if item not in Item.values:
        raise Http404
    allowance = get_object_or_404(_company_allowances(request), award_id=award_id)
    if not services.is_open(allowance):
        raise Http404
    prefix = f"a{award_id}-{item}"
    if bodies.too_large(request, validators.max_bytes(item)):
        form = SubmissionForm({}, {}, item=item, prefix=prefix, too_large=True)
        form.is_valid()
        return _page(request, bound=(award_id, item, form), status=413)
    return _submit(request, allowance, item, prefix)


@csrf_protect
def _submit(request, allowance, item, prefix):
    form = SubmissionForm(request.POST, request.FILES, item=item, prefix=prefix)
    if not form.is_valid():
        return _page(request, bound=(allowance.award_id, item, form))
    upload = form.cleaned_data["file"] or None
    try:
        submission = services.submit(
            allowance,
            item,
            by=request.user,
            upload=upload,
            link=form.cleaned_data["link"],
            request=request,
        )
    except ValidationError as error:
        form.add_error("file" if upload else "link", error)
        return _page(request, bound=(allowance.award_id, item, form))
    if submission.repeated:
        messages.info(
            request,
            _("「%(item)s」已收到，與前次繳交的內容相同，未重複儲存。")
            % {"item": Item(item).label},
        )
    else:
        messages.success(request, _("已收到「%(item)s」，謝謝。") % {"item": Item(item).label})
    return redirect(reverse("deliverables:overview") + f"#item-{allowance.award_id}-{item}")


@company_required
def download(request, pk):
    submission = get_object_or_404(
        Submission.objects.select_related("award"),
        pk=pk,
        award__company_id=request.user.company_id,
    )
    if not submission.file:
        raise Http404
    return file_response(submission)
