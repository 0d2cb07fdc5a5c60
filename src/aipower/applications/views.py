"""Views of the wizard, the dashboard, the receipt and the printable application.

Every view is for a signed-in company (``company_required``) and only ever loads that
company's own application (object-level check: lookups filter on ``company``).

A wizard page has two URLs:

- ``/apply/<pk>/step/<identifier>/`` (``applications:app_step``) names the application: any of
  the company's own (another company's pk is a 404). This is how the pages of an earlier
  call's application are reached — e.g. the pages a supplement request (補件) names while the
  company also has a draft in the next year's call.
- ``/apply/step/<identifier>/`` (``applications:step``) is kept for the current call's
  application (what ``/apply/`` resumes, and bookmarks): it serves ``own_application``'s pages
  directly rather than redirecting, so existing links and bookmarks stay as they were.

Links are built by ``step_url``: the short form for the current call's application, the
application-named form for any other, so every link of a page (step list, 上一步, the form,
the redirects after saving, the 'check' view) stays on the application the page shows. The
form also carries the application's pk; a save posted for another application than the URL
finds (the current call changed between showing and saving) is refused, never applied to it.

What may be edited does not depend on the URL: drafts, submitted applications until their
batch's cut-off, and afterwards only the pages an open supplement request names
(``services.is_editable_after_submission``). A draft of an earlier call that has closed is not
opened at all: it can never be submitted.
"""

import datetime

from django import forms
from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from aipower.accounts.decorators import company_required
from aipower.accounts.resume import resumable
from aipower.calls.enums import TextKey
from aipower.calls.models import Call, FormNote, effective_cutoff
from aipower.core.i18n import join_list
from aipower.core.templatetags.roc import roc_date
from aipower.registry.templatetags.registry import thousands

from . import flow, hooks, mailbox, services
from .enums import ApplicationState, applicant_label
from .models import Application, ApplicationVersion
from .texts import call_texts


def current_application(company, call):
    """The company's application in ``call`` (the call taking applications now), or None."""
    return services.application_in_call(company, call)


def open_supplement_application(company):
    """The company's application whose supplement request (補件) is open (the newest call's
    when, unusually, there are several), or None."""
    return (
        Application.objects.select_related("call", "company", "batch")
        .filter(company=company, state=ApplicationState.SUPPLEMENT_REQUESTED)
        .order_by("-call__year")
        .first()
    )


def own_application(request):
    """The application the short wizard URLs (``/apply/step/<identifier>/``) work on: the
    company's application in the current call (``Call.current()``); when it has none there,
    its application of an earlier call whose supplement request is open (old bookmarks)."""
    app = current_application(request.user.company, Call.current())
    if app is not None:
        return app
    return open_supplement_application(request.user.company)


def in_current_call(app):
    """Whether ``app`` belongs to the call taking applications now (``Call.current()``)."""
    call = Call.current()
    return call is not None and app.call_id == call.pk


def company_applications(company, call):
    """Every application of the company: the one in ``call`` (the current call) first, then
    the other calls' by programme year, newest first."""
    apps = list(
        Application.objects.select_related(
            # What the dashboard shows of each award (review's) and its allowance (grants').
            "call",
            "company",
            "batch",
            "award__tier",
            "award__category__call",
            "award__allowance",
        )
        .prefetch_related(
            Prefetch("versions", queryset=ApplicationVersion.objects.order_by("-number"))
        )
        .filter(company=company)
        .order_by("-call__year", "id")
    )
    return sorted(apps, key=lambda app: call is None or app.call_id != call.pk)


def step_url(app, step, *, check=False, current=None):
    """The URL of ``app``'s wizard page ``step``: the short ``/apply/step/<identifier>/`` for the
    current call's application, ``/apply/<pk>/step/<identifier>/`` for any other. ``current``
    (whether ``app`` is in the current call) spares the look-up when the caller knows it."""
    if current is None:
        current = in_current_call(app)
    if current:
        url = reverse("applications:step", args=[step.identifier])
    else:
        url = reverse("applications:app_step", args=[app.pk, step.identifier])
    return f"{url}?check=1" if check else url


def ineligible_page(request, call):
    """The page that refuses a company the automatic pre-check finds not eligible (reasons and
    whom to contact), or None when it may fill in the form."""
    verdict = services.not_eligible(request.user.company, call)
    if verdict is None:
        return None
    return render(
        request, "applications/not_eligible.html", {"verdict": verdict, "call": call}, status=403
    )


@company_required
@require_http_methods(["GET", "HEAD", "POST"])
def index(request):
    """/apply/ (「我要申請」): resume the wizard where the company left it, in the current call
    (the one taking applications now); the company's applications of earlier calls never count
    here. Without a draft there, GET shows what the application asks for (``start_page``) and
    only its 「開始填寫」 (a POST, so CSRF-protected) creates the draft: a link, an image on
    another site, a crawler or a browser's prefetch can no longer make a signed-in company
    start an application."""
    call = Call.current()
    if call is None:
        return render(request, "applications/no_call.html", {"call": None})
    applied = services.submitted_application(request.user.company, call)
    if applied is not None:
        # One application per company per call: say why no new one is started.
        messages.info(request, services.already_applied_message(applied))
        return redirect("applications:dashboard")
    app = current_application(request.user.company, call)
    if app is None and not call.is_open():
        # Why not (paused, not open yet, closed), as the public pages say it.
        from aipower.public.presenters import call_status

        return render(
            request,
            "applications/no_call.html",
            {"call": call, "reason": call_status(call).reason},
        )
    refusal = ineligible_page(request, call)
    if refusal is not None:
        return refusal
    if app is None:
        if request.method != "POST":
            return start_page(request, call)
        app = services.start_application(request.user.company, call)
    step = flow.get_step(app.current_step)
    if step is None or not step.is_applicable(app):
        step = flow.STEPS[0]
    return redirect(step_url(app, step, current=True))


def start_page(request, call):
    """Before a draft exists: the call's dates, its categories (with their next batch, as the
    public home page shows them) and the pages of the form, with 「開始填寫」."""
    from aipower.public.presenters import category_views

    common = [step for step in flow.STEPS if step.category is None]
    pledge = common.index(flow.get_step(flow.PledgeStep.identifier))
    categories = [
        {
            "view": view,
            "pages": join_list(
                step.title for step in flow.STEPS if step.category == view.category.kind
            ),
        }
        for view in category_views(call)
    ]
    context = {
        "call": call,
        "categories": categories,
        "steps_before": common[:pledge],
        "steps_after": common[pledge:-1],  # 切結書; 您已完成申請表單 is not a page to fill in
    }
    return render(request, "applications/start.html", context)


def section_number(heading):
    """「8. 預計產品化階段說明」 → "8": the number a form note names its section by."""
    head = str(heading or "").split(".", 1)[0].strip()
    return head if head.isdigit() else None


def form_notes(app, step):
    """The call's notes for this page of the form: ``{section number or "": [note, …]}``."""
    notes = {}
    for note in FormNote.objects.filter(call_id=app.call_id, page=step.identifier):
        notes.setdefault(note.section.strip(), []).append(note)
    return notes


def render_step(request, app, step, form, status=200, **extra):
    notes = form_notes(app, step)
    editable = not app.is_submitted or services.is_editable_after_submission(app, step)
    # A page an open supplement request names is editable although the application is frozen.
    frozen = app.is_submitted and not editable and services.is_frozen(app)
    current = in_current_call(app)
    # On a page an open supplement request does not name: the way to the pages it does.
    supplement_links = (
        [
            {"step": named, "url": step_url(app, named, current=current)}
            for named in flow.applicable_steps(app)
            if named.identifier in set(hooks.supplement_steps(app))
        ]
        if frozen and app.state == ApplicationState.SUPPLEMENT_REQUESTED
        else []
    )
    if not editable:
        for field in form.fields.values():
            field.disabled = True
    progress = flow.progress(app, step)
    for item in progress:
        item["url"] = step_url(app, item["step"], current=current)
    previous = flow.previous_step(app, step)
    # Leaving a draft's page by 「上一步」 or the step list saves what was typed on it first
    # (wizard.js posts the form with ``go``), so going back never loses anything.
    save_on_leave = editable and not app.is_submitted and step.identifier != "done"
    context = {
        "application": app,
        "call": app.call,
        "step": step,
        "form": form,
        "progress": progress,
        "previous": previous,
        "previous_url": step_url(app, previous, current=current) if previous else "",
        "action_url": step_url(app, step, current=current),
        "editable": editable,
        "save_on_leave": save_on_leave,
        "frozen": frozen,
        "frozen_message": services.frozen_message(app) if frozen else "",
        "supplement_links": supplement_links,
        "texts": call_texts(app.call, TextKey.values),
        "page_notes": notes.get("", []),
        "fieldsets": [
            {**fieldset, "notes": notes.get(section_number(fieldset["heading"]), [])}
            for fieldset in form.get_fieldsets()
        ],
        "warnings": getattr(form, "warnings", []),
        # A draft can be filled in while the call is paused or closed, but not sent: say so
        # on every page rather than only at 「送出」.
        "not_open": (
            services.not_open_message(app.call, timezone.now())
            if not app.is_submitted and not app.call.is_open()
            else ""
        ),
        **extra,
    }
    return render(request, step.template, context, status=status)


@company_required
@resumable
@require_http_methods(["GET", "POST"])
def step_view(request, identifier):
    """A wizard page of the current call's application (the short URL)."""
    app = own_application(request)
    if app is None:
        return redirect("applications:index")
    return wizard_page(request, app, identifier)


@company_required
@resumable
@require_http_methods(["GET", "POST"])
def application_step_view(request, pk, identifier):
    """A wizard page of the application the URL names (only the company's own)."""
    app = own_application_by_pk(request, pk)
    if not app.is_submitted and not in_current_call(app) and not app.call.is_open():
        messages.error(request, _("此申請案的收件期間已結束，草稿僅供保存，無法再填寫或送出"))
        return redirect("applications:dashboard")
    return wizard_page(request, app, identifier)


def wizard_page(request, app, identifier):
    """Show or save page ``identifier`` of ``app``, whichever URL reached it; what may be
    saved is decided by ``post_draft`` / ``post_after_submission`` from ``app`` alone."""
    step = flow.get_step(identifier)
    if step is None:
        raise Http404
    if not step.is_applicable(app):
        return redirect(step_url(app, flow.STEPS[0]))
    if not app.is_submitted:
        refusal = ineligible_page(request, app.call)
        if refusal is not None:
            return refusal
    if step.identifier == flow.DoneStep.identifier and not app.is_submitted:
        following = flow.first_incomplete_step(app) or flow.get_step("pledge")
        return redirect(step_url(app, following))
    if request.method == "POST":
        if request.POST.get("application", str(app.pk)) != str(app.pk):
            # The page was shown for another application than this URL reaches now.
            messages.error(
                request, _("此頁所屬的申請案已變更，內容未儲存；請自「申請案狀態」重新開啟申請表")
            )
            return redirect("applications:dashboard")
        if app.is_submitted:
            return post_after_submission(request, app, step)
        return post_draft(request, app, step)
    if request.GET.get("check") and not app.is_submitted:
        form = step.full_form(app)
        form.is_valid()
    else:
        form = step.get_form(app, draft=not app.is_submitted)
    return render_step(request, app, step, form)


def _shown(field, value):
    """A stored or typed value as the page would show it: choice labels, not codes."""
    if isinstance(value, bool):
        return str(_("是") if value else _("否"))
    values = value if isinstance(value, (list, tuple)) else [value]
    values = [str(v) for v in values if v not in (None, "")]
    choices = dict(getattr(field, "choices", ()) or ())
    return join_list(choices.get(v, v) for v in values)


def stale(request, error, step):
    """Another tab saved first: keep what this tab typed in the form (nothing is lost) and show,
    next to each field where the other tab saved something else, what it saved. The page
    carries the current revision, so saving again keeps this tab's version."""
    app = error.application
    form = step.get_form(app, request.POST, draft=not app.is_submitted)
    saved = step.get_form(app, draft=not app.is_submitted)
    valid = form.is_valid()
    cleaned = form.cleaned_data if valid else {}
    differs = False
    for name, field in form.fields.items():
        typed = form[name].value()
        stored = _shown(field, saved[name].value())
        # As typed, or as saved (a phone number's spaces and hyphens set right).
        if stored not in (_shown(field, typed), _shown(field, cleaned.get(name, typed))):
            field.saved_elsewhere = stored or "—"
            differs = True
    if not differs and not app.is_submitted:
        # What is saved is what this form says: the same page sent again (the back button, a
        # second click), not another tab's other answers — go on as its first sending did.
        leaving = leaving_to(request, app, step)
        if leaving is not None:
            return redirect(step_url(app, leaving))
        if not valid:
            messages.warning(request, _("已儲存本頁，但有欄位需要修正，請參考欄位旁的說明"))
            return render_step(request, app, step, form)
        if step.identifier == flow.PledgeStep.identifier:
            return submit(request, app)
        return redirect(step_url(app, flow.next_step(app, step)))
    return render_step(request, app, step, form, status=409, stale=True)


def leaving_to(request, app, step):
    """The page 「上一步」 or the step list leads to when the page posted its answers on the way
    (``go``: that page's identifier; wizard.js sends it when something was typed), or None."""
    target = flow.get_step(request.POST.get("go", ""))
    if target is None or target is step or not target.is_applicable(app):
        return None
    return target


def post_draft(request, app, step):
    form = step.get_form(app, request.POST, draft=True)
    valid = form.is_valid()
    leaving = leaving_to(request, app, step)
    try:
        app = services.save_step(
            app,
            step,
            form,
            revision=request.POST.get("revision"),
            user=request.user,
            advance=valid,
            to=leaving,
        )
    except services.StaleRevision as error:
        return stale(request, error, step)
    except services.ApplicationLocked as error:
        messages.error(request, error.message)
        return redirect("applications:dashboard")
    if leaving is not None:
        # Going back (or to another page) keeps what was typed here: saved as a draft, never
        # submitted, whatever page this is; what needs correcting is said at submission.
        if not valid:
            messages.warning(
                request,
                _("已儲存「%(page)s」，但該頁有欄位需要修正，送出前請回到該頁修正")
                % {"page": step.title},
            )
        return redirect(step_url(app, leaving))
    if not valid:
        messages.warning(request, _("已儲存本頁，但有欄位需要修正，請參考欄位旁的說明"))
        return render_step(request, app, step, form)
    for warning in form.warnings:
        messages.warning(request, warning)
    if step.identifier == flow.PledgeStep.identifier:
        return submit(request, app)
    return redirect(step_url(app, flow.next_step(app, step)))


def submit(request, app):
    try:
        app = services.submit_application(app, request.user, request=request)
    except services.ApplicationIncomplete as error:
        messages.error(request, error.message)
        return redirect(step_url(app, error.step, check=True))
    except services.SubmissionRefused as error:
        messages.error(request, error.message)
        step = flow.get_step("pledge")
        return render_step(request, error.application, step, step.get_form(error.application))
    messages.success(request, _("申請已送出，申請編號：%(number)s") % {"number": app.number})
    return redirect(step_url(app, flow.get_step("done")))


def post_after_submission(request, app, step):
    if step.identifier == flow.PledgeStep.identifier:
        # The page that sent it, sent again (the back button, a second click, another tab):
        # the application was sent once and is not sent again — say so, not that it failed.
        messages.info(
            request,
            _("此申請案已送出（申請編號：%(number)s），本次未重複送出。") % {"number": app.number},
        )
        return redirect(step_url(app, flow.get_step("done")))
    if not services.is_editable_after_submission(app, step) and (
        step.identifier not in flow.UPDATABLE_AFTER_SUBMISSION
    ):
        messages.error(request, _("申請案已送出，申請類別及此頁內容不得更動"))
        return redirect("applications:dashboard")
    form = step.get_form(app, request.POST, draft=False)
    if not services.is_editable_after_submission(app, step):
        # The batch's cut-off passed (or the review took the application up) while the page
        # was open: nothing can be saved now, but what was typed is shown back, not dropped.
        return refused_update(request, app, step, form, services.locked_reason(app))
    if not form.is_valid():
        # Nothing was saved: leaving this page asks first (wizard.js), not to lose the typing.
        return render_step(request, app, step, form, status=400, unsaved=True)
    try:
        app, version = services.update_after_submission(
            app,
            step,
            form,
            revision=request.POST.get("revision"),
            user=request.user,
            request=request,
        )
    except services.StaleRevision as error:
        return stale(request, error, step)
    except services.ApplicationLocked as error:
        return refused_update(request, error.application, step, form, error.message)
    for warning in form.warnings:
        messages.warning(request, warning)
    if version is not None:
        messages.success(
            request, _("已更新申請表（第 %(number)s 版）") % {"number": version.number}
        )
    if app.state == ApplicationState.SUPPLEMENT_REQUESTED:
        return after_supplement_page(request, app, step)
    following = flow.next_step(app, step)
    if following.identifier == flow.PledgeStep.identifier:
        return redirect("applications:view", pk=app.pk)
    return redirect(step_url(app, following))


def refused_update(request, app, step, form, message):
    """An update that can no longer be saved (the application froze while the page was open):
    the page as it now stands (read-only), with the reason and, below it, what was typed, so
    the applicant can keep it (409)."""
    typed = answer_rows(form)
    messages.error(request, message)
    shown = step.get_form(app, draft=False)
    return render_step(request, app, step, shown, status=409, typed_rows=typed)


def after_supplement_page(request, app, step):
    """After a page a supplement request names was saved: the next page it names, or, when
    this was the last, the dashboard, whose 「補件完成，重新送出」 the applicant presses next
    (the pages in between are read-only and would only be in the way)."""
    named = set(hooks.supplement_steps(app))
    steps = flow.applicable_steps(app)
    later = steps[steps.index(step) + 1 :] if step in steps else []
    following = next((s for s in later if s.identifier in named), None)
    if following is not None:
        return redirect(step_url(app, following))
    messages.info(
        request,
        _("補件的頁面都已儲存；確認無誤後，請按「補件完成，重新送出」，審查才會繼續"),
    )
    return redirect("applications:dashboard")


def dashboard_entry(app, current, mails):
    """What the dashboard shows about one application: its status, the deadline for updates
    (the batch's cut-off, never after the call closes), versions, mails (``mails``: its own, as
    ``mailbox.for_applicants`` gives them), and what review adds (the supplement request, the
    award, the operator's messages). ``current``: whether ``app`` is in the current call (its
    links take the short wizard URLs)."""
    entry = {"application": app, "frozen": False, "is_current": current}
    if app.is_submitted:
        entry["batch_label"] = batch_label(app.batch)
        entry["frozen"] = services.is_frozen(app)
        entry["frozen_message"] = services.frozen_message(app) if entry["frozen"] else ""
        entry["edit_until"] = effective_cutoff(app.batch, app.call) if app.batch else None
        entry["versions"] = app.versions.all()  # newest first (company_applications)
        entry["mails"] = mails
        entry["state_label"] = applicant_label(app.state)
        entry.update(hooks.dashboard_context(app))
        # The pages a supplement request names, linked on this application (not on the
        # current call's draft when this is an earlier call's).
        supplement = entry.get("supplement")
        changed = (
            services.pages_changed_since(app, supplement.requested_at, entry["versions"])
            if supplement is not None
            else {}
        )
        entry["supplement_links"] = [
            {
                "step": step,
                "url": step_url(app, step, current=current),
                "changed_at": changed.get(step.identifier),
            }
            for step in entry.get("supplement_steps") or ()
        ]
        entry["supplement_unchanged"] = supplement is not None and not any(
            link["changed_at"] for link in entry["supplement_links"]
        )
    else:
        resume = flow.get_step(app.current_step) or flow.STEPS[0]
        entry["resume_step"] = resume
        entry["resume_url"] = step_url(app, resume, current=current)
    return entry


@company_required
def dashboard(request):
    """申請案狀態: every application of the company, the current call's first (the older calls'
    keep their award, usage and deliverables links once the next year's call exists)."""
    call = Call.current()
    apps = company_applications(request.user.company, call)
    mails = mailbox.for_applicants([app for app in apps if app.is_submitted])
    entries = [
        dashboard_entry(app, call is not None and app.call_id == call.pk, mails.get(app.pk))
        for app in apps
    ]
    for position, entry in enumerate(entries):
        # The first application keeps the page's plain element ids; the others get their own.
        entry["suffix"] = "" if position == 0 else f"-{entry['application'].pk}"
    has_current = bool(entries) and entries[0]["is_current"]
    context = {"call": call, "entries": entries, "has_current": has_current}
    return render(request, "applications/dashboard.html", context)


def own_application_by_pk(request, pk):
    return get_object_or_404(
        Application.objects.select_related("call", "company", "batch"),
        pk=pk,
        company=request.user.company,
    )


def batch_label(batch):
    """「第一梯次」 (``Batch 1`` in English), as the public pages and the document name it."""
    from aipower.public.presenters import batch_label as label

    return label(batch.number) if batch is not None else ""


def submitted_at_shown(app):
    """When the application was sent, in the page's language (ROC in zh-Hant, ISO in English)."""
    if not app.submitted_at:
        return ""
    return services.format_taipei(app.submitted_at, translation.get_language())


@company_required
def receipt(request, pk):
    app = own_application_by_pk(request, pk)
    if not app.is_submitted:
        raise Http404
    # The fingerprint is the application's as it stands: after an update (or a supplement's
    # answer) the receipt says which version that is, as the printable view does.
    updated = latest_update(app)
    return render(
        request,
        "applications/receipt.html",
        {
            "application": app,
            "submitted_at": submitted_at_shown(app),
            "batch_label": batch_label(app.batch),
            "version": updated,
            "version_at": version_time(updated),
        },
    )


def latest_update(app):
    """The newest version of submitted ``app`` when it is not the first one sent, or None."""
    latest = app.versions.order_by("-number").first() if app.is_submitted else None
    return latest if latest is not None and latest.number > 1 else None


def version_time(version):
    if version is None:
        return ""
    return services.format_taipei(version.created_at, translation.get_language())


@company_required
def printable(request, pk):
    """The whole application on one page, for reading and printing."""
    app = own_application_by_pk(request, pk)
    frozen = app.is_submitted and services.is_frozen(app)
    current = in_current_call(app)
    sections = []
    for step in flow.applicable_steps(app):
        if step.identifier in ("category", "terms", "done"):
            continue
        form = step.full_form(app)
        form.is_valid()
        editable = not app.is_submitted or services.is_editable_after_submission(app, step)
        sections.append(
            {
                "step": step,
                "rows": answer_rows(form),
                "editable": editable,
                "url": step_url(app, step, current=current),
            }
        )
    # The page shows the answers as they stand: after an update, the latest version's, so its
    # number and time are said beside the first submission's.
    updated = latest_update(app)
    return render(
        request,
        "applications/print.html",
        {
            "application": app,
            "sections": sections,
            "frozen": frozen,
            "submitted_at": submitted_at_shown(app),
            "version": updated,
            "version_at": version_time(updated),
        },
    )


def answer_rows(form):
    """The read-back of a bound form: (label, shown value) for every field, choices shown by
    their labels, with the page's fieldset headings as group rows (``{"heading": …}``) before
    their fields, as the wizard page shows them. A field that opens a group without a heading
    after another group (a fieldset without a legend, the fields shown after the fieldsets)
    carries ``"group_start": True``, so a table can end the previous heading's row group;
    ``"typed"`` marks an answer the company typed (``_typed``), which the page marks as
    Chinese on English pages (``registry.lang_zh``); ``"name"`` is the field's (a page may mark
    rows by it: ``"changed"``, see ``review.views.mark_supplement_changes``)."""
    rows = []
    for heading, bound_fields in _answer_groups(form):
        if heading:
            rows.append({"heading": heading})
        for position, bound in enumerate(bound_fields):
            row = {
                "name": bound.name,
                "label": bound.label,
                "value": _answer_text(bound),
                "typed": _typed(bound),
            }
            if position == 0 and not heading and rows:
                row["group_start"] = True
            rows.append(row)
    return rows


def _answer_groups(form):
    """(heading or None, bound fields) in the order the wizard page shows them: its fieldsets
    (a heading without fields too, e.g. 「3. 使用模型及資源需求」 before its A./B./C.), then the
    fields it shows after them."""
    groups = []
    if getattr(form, "fieldsets", None):
        groups = [(group["heading"], group["fields"]) for group in form.get_fieldsets()]
    placed = {bound.name for _heading, bound_fields in groups for bound in bound_fields}
    rest = [bound for bound in form if bound.name not in placed]
    if rest:
        groups.append((None, rest))
    return groups


def _typed(bound):
    """Whether the answer is text the company typed (shown as typed, in its language), not a
    choice, a date, a yes/no or an amount the page words in its own language."""
    field = bound.field
    return not (
        getattr(field, "choices", None)
        or getattr(field, "amount_ntd", False)
        or isinstance(field, forms.DateField | forms.BooleanField)
    )


def _answer_text(bound):
    """One field's answer as the read-back shows it."""
    field = bound.field
    value = bound.value()
    choices = dict(getattr(field, "choices", []) or [])
    if isinstance(field, forms.DateField):
        return roc_date_text(value)
    if getattr(field, "amount_ntd", False) and str(value).isdigit():
        # As the company page writes the registry's capital: 「新臺幣 25,000,000 元」.
        return _("新臺幣 %(amount)s 元") % {"amount": thousands(value)}
    if isinstance(value, list | tuple):
        return join_list(choices.get(item, item) for item in value)
    if isinstance(field, forms.BooleanField):
        return _("是") if value else _("否")
    if choices:
        return str(choices.get(value, value or ""))
    return "" if value is None else str(value)


def roc_date_text(value):
    """A stored ISO date shown as the ROC date (ISO in English); anything else as typed."""
    try:
        return roc_date(datetime.date.fromisoformat(str(value)))
    except ValueError:
        return "" if value is None else str(value)


@company_required
@require_http_methods(["POST"])
def resubmit(request):
    """「補件完成，重新送出」: the applicant has edited what the supplement request named. The
    dashboard's form names the application; without it, the company's open supplement's."""
    pk = request.POST.get("application")
    if pk and pk.isdigit():
        app = own_application_by_pk(request, pk)
    else:
        app = open_supplement_application(request.user.company) or own_application(request)
    if app is None:
        raise Http404
    if app.state == ApplicationState.RESUBMITTED:
        # The button pressed again (the back button, a second click, another tab).
        messages.info(request, _("補件資料已重新送出，本次未重複送出。"))
        return redirect("applications:dashboard")
    try:
        hooks.resubmit_supplement(app, request.user, request=request)
    except services.ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("補件資料已重新送出，執行單位將繼續進行資格審查。"))
    return redirect("applications:dashboard")
