"""The staff's mail log (/staff/mail/): every e-mail the system wrote (待寄送, 已寄出, 寄送失敗),
the failed ones on their own, one mail as it was sent, and sending it again.

The operator and the organiser read it (the mails carry the contacts' personal data, so opening
one is in the audit log); only the operator sends a mail again.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aipower.accounts import rules
from aipower.accounts.decorators import staff_required
from aipower.core import audit, once

from . import mailbox
from .models import SentMail
from .services import ApplicationError

PER_PAGE = 50


@staff_required(*rules.MAIL_VIEWERS)
def mail_list(request):
    failed_only = request.GET.get("show") == "failed"
    search = request.GET.get("q", "")[:200]
    page = Paginator(mailbox.mails(failed_only=failed_only, search=search), PER_PAGE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    # The list shows recipients' addresses and subjects naming people: who read which page of
    # it (and what they searched for) is in the audit log, as opening one mail is.
    audit.record(
        "mail.list_viewed",
        request=request,
        show="failed" if failed_only else "all",
        search=search,
        page=page.number,
        mails=[mail.pk for mail in page],
    )
    return render(
        request,
        "applications/staff/mail_list.html",
        {
            "page": page,
            "failed_only": failed_only,
            "search": search,
            "query": query.urlencode(),
            "failures": mailbox.unresolved_failures(),
        },
    )


@staff_required(*rules.MAIL_VIEWERS)
def mail_detail(request, pk):
    mail = get_object_or_404(SentMail.objects.select_related("application", "resent_from"), pk=pk)
    audit.record("mail.view", request=request, obj=mail)
    return render(
        request,
        "applications/staff/mail_detail.html",
        {
            "mail": mail,
            "resends": mail.resends.order_by("queued_at", "id"),
            "recipients": mailbox.resend_recipients(mail),
            "can_resend": rules.can_resend_mail(request.user),
        },
    )


@require_POST
@staff_required(*rules.MAIL_SENDERS)
def mail_resend(request, pk):
    mail = get_object_or_404(SentMail.objects.select_related("application"), pk=pk)
    try:
        again = mailbox.resend(mail, by=request.user, request=request, token=once.posted(request))
    except ApplicationError as refused:
        messages.error(request, refused.message)
        return redirect("mail_staff:detail", mail.pk)
    # The same form sent again shows what its first sending did: the mail it made, and that
    # nothing was sent twice (unless that one failed: its page offers to send it again).
    if again.repeated and again.status != SentMail.Status.FAILED:
        messages.info(request, _("此郵件剛才已重新寄送，本次未重複寄送。"))
    elif again.status == SentMail.Status.FAILED:
        messages.error(request, _("重新寄送失敗：%(error)s") % {"error": again.error})
    elif again.status == SentMail.Status.SENT:
        messages.success(request, _("郵件已重新寄送。"))
    else:  # the worker sends it in a moment
        messages.success(request, _("郵件已排入寄送佇列，稍後寄出。"))
    return redirect("mail_staff:detail", again.pk)
