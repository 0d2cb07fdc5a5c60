"""Staff pages of the review under /staff/review/.

Each view is guarded by ``staff_required`` with the roles of ``accounts.rules`` (operator:
eligibility, supplements, assignments, freeze, meeting preparation; reviewer: their own
assignments and scores; organiser: approval and overrides; operator and organiser read the
batches, the meeting and the audit log) and, where a reviewer acts, an object-level check that
the assignment is theirs. State changes are POSTs that call one service function each.
"""

import copy
import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from aipower.accounts import rules
from aipower.accounts.decorators import staff_required
from aipower.accounts.resume import resumable
from aipower.applications import flow
from aipower.applications import services as application_services
from aipower.applications.enums import ApplicationState as S
from aipower.applications.models import Application
from aipower.applications.views import answer_rows
from aipower.calls.models import Batch, Category, Tier, effective_cutoff, to_the_second
from aipower.compliance import services as compliance
from aipower.core import audit
from aipower.core.audit_labels import ACTION_LABELS
from aipower.core.csvcells import csv_download
from aipower.core.i18n import join_list
from aipower.core.models import AuditEntry
from aipower.registry import services as registry_services

from . import exports, services, workflow
from .forms import (
    AffiliationsForm,
    ApproveForm,
    AssignForm,
    AuditSearchForm,
    ClearFlagForm,
    ConflictForm,
    DecisionForm,
    EligibilityForm,
    OverrideForm,
    ReopenForm,
    ScoreForm,
    SendBackForm,
    StartDateForm,
    StartupPriorityForm,
    StepAsideForm,
)
from .models import (
    Assignment,
    BatchReview,
    Budget,
    Decision,
    ReviewerProfile,
    Score,
    SupplementRequest,
)

OPERATOR = rules.ELIGIBILITY_REVIEWERS
ORGANISER = rules.AWARD_DECIDERS
READERS = rules.COMPANY_VIEWERS
REVIEWER = rules.SCORERS


def _submitted():
    """The applications the review sees: every one but drafts."""
    return Application.objects.exclude(state=S.DRAFT)


def _applications_of(batch):
    return _submitted().filter(batch=batch)


def batch_status(batch, review, now=None):
    """The batch's stage on the index: 尚未開始收件 before the call opens, 收件中 until its
    effective cut-off, then 收件截止, 已凍結 once frozen, 名單已核定 once approved. (Of a
    category's batches still before their cut-off only the one new applications join is
    收件中; ``index`` marks the later ones 尚未開始收件.)"""
    now = now or timezone.now()
    if review and review.approved_at:
        return "approved"
    if review and review.frozen_at:
        return "frozen"
    if to_the_second(now) > effective_cutoff(batch, batch.category.call):
        return "closed"
    if now < batch.category.call.opens_at:
        return "upcoming"
    return "open"


@staff_required(*READERS, *REVIEWER)
def index(request):
    """Batches with their progress (operator, organiser); reviewers go to their assignments.
    A batch whose decisions all wait for the organiser shows 待核定 with their number.

    Every batch of every category is listed, so the numbering has no gaps: a batch past its
    cut-off that received nothing shows 無申請案, one after the batch now taking applications
    shows 尚未開始收件, both greyed."""
    if rules.can_score(request.user):
        return redirect("review:mine")
    awaiting = {batch.pk: count for batch, count in services.batches_awaiting_approval()}
    # A constant number of queries, however many calls and batches there are.
    reviews = {review.batch_id: review for review in BatchReview.objects.all()}
    counts = {
        row["batch"]: row
        for row in _submitted()
        .filter(batch__isnull=False)
        .values("batch")
        .annotate(total=Count("id"), approved=Count("id", filter=Q(state=S.APPROVED)))
    }
    rows = []
    categories = (
        Category.objects.select_related("call")
        .prefetch_related(Prefetch("batches", queryset=Batch.objects.order_by("number")))
        .order_by("-call__year", "order")
    )
    now = timezone.now()
    for category in categories:
        category_rows = []
        for batch in category.batches.all():
            count = counts.get(batch.pk, {})
            total, approved = count.get("total", 0), count.get("approved", 0)
            review = reviews.get(batch.pk)
            category_rows.append(
                {
                    "batch": batch,
                    "review": review,
                    "status": batch_status(batch, review, now),
                    # When it really stopped taking applications: never after the call closed.
                    "cutoff": effective_cutoff(batch, category.call),
                    "awaiting": awaiting.get(batch.pk, 0),
                    "total": total,
                    "approved": approved,
                }
            )
        # New applications join the first open batch by cut-off (services.open_batch); the
        # later ones have not started taking applications yet.
        receiving = min(
            (row for row in category_rows if row["status"] == "open"),
            key=lambda row: (row["batch"].cutoff_at, row["batch"].number),
            default=None,
        )
        for row in category_rows:
            if row["status"] == "open" and row is not receiving:
                row["status"] = "upcoming"
            row["idle"] = not row["total"] and row["status"] != "open"
        rows.extend(category_rows)
    return render(
        request,
        "review/index.html",
        {"rows": rows, "awaiting_total": sum(awaiting.values())},
    )


@staff_required(*READERS)
def batch_detail(request, pk):
    batch = get_object_or_404(Batch.objects.select_related("category__call"), pk=pk)
    apps = (
        _applications_of(batch)
        .select_related("company")
        .prefetch_related(
            Prefetch("assignments", queryset=Assignment.objects.select_related("reviewer"))
        )
        .order_by("number")
    )
    rows = []
    for app in apps:
        assignments = list(app.assignments.all())
        rows.append(
            {
                "application": app,
                "assignments": assignments,
                "submitted": sum(1 for a in assignments if a.is_submitted),
                "active": sum(1 for a in assignments if not a.is_conflicted),
            }
        )
    context = {
        "batch": batch,
        # Sheets the operator opened again: said so, not 「未完成」 as if never sent (one query).
        "reopened": services.reopened_ids([a for row in rows for a in row["assignments"]]),
        "review": BatchReview.objects.filter(batch=batch).first(),
        "cutoff": effective_cutoff(batch, batch.category.call),
        "rows": rows,
        "minimum": services.minimum_reviewers(batch.category),
        "can_operate": rules.can_review_eligibility(request.user),
    }
    return render(request, "review/batch.html", context)


def _service_call(request, function, *args, success=None, **kwargs):
    """Run a service; a refusal becomes an error message. True when it went through."""
    try:
        function(*args, request=request, **kwargs)
    except (services.ReviewError, workflow.TransitionRefused) as error:
        messages.error(request, error.message)
        return False
    if success:
        messages.success(request, success)
    return True


def _service_into_form(request, form, function, *args, success=None, **kwargs):
    """Run a service; a refusal becomes the form's error (shown above its fields, with what
    was typed kept). True when it went through."""
    try:
        function(*args, request=request, **kwargs)
    except (services.ReviewError, workflow.TransitionRefused) as error:
        form.add_error(None, error.message)
        return False
    if success:
        messages.success(request, success)
    return True


def _said_on_top(request, form, default, to, pk):
    """A refused form that is no longer on its page (the application or the list moved on
    meanwhile, say in another tab): its errors, else ``default``, become messages at the top
    of page ``to``."""
    for error in form.non_field_errors() or [default]:
        messages.error(request, error)
    return redirect(to, pk=pk)


@require_POST
@staff_required(*OPERATOR)
def batch_freeze(request, pk):
    batch = get_object_or_404(Batch, pk=pk)
    _service_call(request, services.freeze_batch, batch, request.user, success=_("梯次已凍結"))
    return redirect("review:batch", pk=batch.pk)


@require_POST
@staff_required(*OPERATOR)
def batch_remind(request, pk):
    """Remind the reviewers with unfinished scores; says whom, or that nobody was waited for."""
    batch = get_object_or_404(Batch.objects.select_related("category__call"), pk=pk)
    try:
        reminded = services.remind_reviewers(batch, request.user, request=request)
    except services.ReviewError as error:
        messages.error(request, error.message)
    else:
        if reminded:
            names = join_list(sorted(user.shown_name for user in reminded))
            messages.success(request, _("已寄送提醒：%(names)s") % {"names": names})
        else:
            messages.info(request, _("沒有未完成評分之審查委員，未寄送提醒"))
    return redirect("review:batch", pk=batch.pk)


def version_sections(app):
    """The reviewed version's answers, page by page, as (label, value) rows."""
    version = services.reviewed_version(app)
    shown = copy.copy(app)
    if version is not None:
        shown.data = version.data.get("answers", {})
    sections = []
    for step in flow.applicable_steps(shown):
        if step.identifier in ("category", "terms", "done"):
            continue
        form = step.full_form(shown)
        form.is_valid()
        sections.append({"step": step, "rows": answer_rows(form)})
    return version, sections


def mark_supplement_changes(app, version, sections, supplements):
    """Mark in ``sections`` (``version_sections``) what the company changed answering the
    latest answered supplement request (補件) of ``supplements``: the pages
    (``applications.services.pages_changed_since``, from the request until the version shown)
    with when, and the labels of the fields changed on each (their rows marked ``changed``,
    which the read-back highlights). The changed pages, in the
    wizard's order; None when no answered supplement stands behind the version shown."""
    answered = max(
        (s for s in supplements if s.answered_at), key=lambda s: s.answered_at, default=None
    )
    if answered is None or version is None:
        return None
    versions = [v for v in app.versions.all() if v.created_at <= version.created_at]
    pages = application_services.pages_changed_since(app, answered.requested_at, versions)
    names = {
        name
        for v in versions
        if v.created_at > answered.requested_at
        for name in v.changed_fields or ()
    }
    changed = []
    for section in sections:
        step = section["step"]
        section["changed_at"] = pages.get(step.identifier)
        if section["changed_at"] is None:
            continue
        for row in section["rows"]:
            if f"{step.section}.{row.get('name')}" in names:
                row["changed"] = True
        section["changed_fields"] = [row["label"] for row in section["rows"] if "changed" in row]
        changed.append(section)
    return {"supplement": answered, "sections": changed}


def _submitted_sheets(app, assignments):
    """The score sheets of the reviewers whose scores count (submitted, no conflict), for the
    operator and the organiser: each criterion's score and comment, the weighted total, the
    overall comment and the suggested tier by its label. Three queries, none without one."""
    submitted = [a for a in assignments if a.is_submitted and not a.is_conflicted]
    if not submitted:
        return []
    criteria = list(services.criteria_of(app))
    scores = {}
    for score in Score.objects.filter(assignment__in=submitted):
        scores[(score.assignment_id, score.criterion_id)] = score
    tiers = {tier.code: services.tier_label(tier) for tier in Tier.objects.filter(call=app.call)}
    tiers[services.NO_TIER] = _("不推薦")
    sheets = []
    for assignment in submitted:
        rows = [(criterion, scores.get((assignment.pk, criterion.pk))) for criterion in criteria]
        sheets.append(
            {
                "assignment": assignment,
                "rows": rows,
                "total": services.weighted_sum(
                    (score.value, criterion.weight) for criterion, score in rows if score
                ),
                "tier": tiers.get(assignment.suggested_tier, assignment.suggested_tier),
            }
        )
    return sheets


def _application_page(
    request, app, *, eligibility_form=None, startup_priority_form=None, status=200
):
    version, sections = version_sections(app)
    supplements = list(SupplementRequest.objects.filter(application=app))
    assignments = list(app.assignments.select_related("reviewer"))
    verdict, prohibited = services.precheck(app)
    changes = list(app.state_changes.select_related("by"))
    context = {
        "application": app,
        "state_label": workflow.staff_label(app.state),
        "version": version,
        "sections": sections,
        "verdict": verdict,
        # The verdict recorded when the application was sent, if the data changed since.
        "verdict_change": registry_services.verdict_change(app, verdict),
        "prohibited": prohibited,
        "watch_entries": compliance.watch_entries(app.company_id),
        "violations": compliance.violation_count(app.company_id),
        "changes": changes,
        # Past the eligibility review, its card says what was found (not only 「不在此階段」).
        "eligibility_result": next(
            (c for c in reversed(changes) if c.to_state in (S.ELIGIBLE, S.INELIGIBLE)), None
        ),
        "supplements": supplements,
        # What the company changed answering the supplement request: pages and fields marked.
        "supplement_changes": mark_supplement_changes(app, version, sections, supplements),
        "assignments": [
            (
                assignment,
                ReopenForm(prefix=f"r{assignment.pk}"),
                ClearFlagForm(prefix=f"c{assignment.pk}"),
            )
            for assignment in assignments
        ],
        "sheets": _submitted_sheets(app, assignments),
        # Sheets the operator opened again: said so, not 「未完成」 as if never sent.
        "reopened": services.reopened_ids(assignments),
        "minimum": services.minimum_reviewers(app.call.categories.get(kind=app.category)),
        "can_operate": rules.can_review_eligibility(request.user),
        # Submitted scores reopen in professional review and after the meeting's staged
        # decision (which the reopening withdraws) until the list is approved.
        "can_reopen": (
            rules.can_assign_reviewers(request.user) and app.state in (S.IN_REVIEW, S.DECIDED)
        ),
        "in_eligibility": app.state in services.ELIGIBILITY_STATES,
        "startup_priority": services.startup_priority(app),
    }
    if context["can_operate"] and app.state in services.PRIORITY_SETTLING_STATES:
        context["startup_priority_form"] = startup_priority_form or StartupPriorityForm(prefix="sp")
    if context["can_operate"]:
        if app.state in services.ELIGIBILITY_STATES:
            context["eligibility_form"] = eligibility_form or EligibilityForm(
                application=app,
                initial={"deadline": timezone.localtime() + datetime.timedelta(days=7)},
            )
        if app.state in (S.ELIGIBLE, S.IN_REVIEW):
            context["assign_form"] = AssignForm(application=app)
    return render(request, "review/application.html", context, status=status)


@require_safe
@staff_required(*READERS)
def application_detail(request, pk):
    app = get_object_or_404(Application.objects.select_related("company", "call", "batch"), pk=pk)
    if app.state == S.DRAFT:
        raise PermissionDenied
    _audit_view(request, "review.application_viewed", app)
    return _application_page(request, app)


def _audit_view(request, action, app):
    """Staff reading an application (its contacts' personal data) is in the audit log. The
    pages that only read serve GET (and HEAD, without the body) only; the scoring page's POST
    is its own action, audited as such."""
    if request.method == "GET":
        audit.record(action, request=request, obj=app, number=app.number)


@require_POST
@staff_required(*OPERATOR)
def application_eligibility(request, pk):
    """The eligibility decision; bad input or a refusal shows the page again (400) with the
    errors next to the fields and everything typed kept."""
    app = get_object_or_404(Application.objects.select_related("company", "call", "batch"), pk=pk)
    if app.state == S.DRAFT:
        raise PermissionDenied
    form = EligibilityForm(request.POST, application=app)
    if form.is_valid():
        data = form.cleaned_data
        if data["outcome"] == "supplement":
            done = _service_into_form(
                request,
                form,
                services.request_supplement,
                app,
                request.user,
                message=data["reason"],
                deadline=data["deadline"],
                steps=data["steps"],
                success=_("已要求補件並通知申請企業"),
            )
        else:
            done = _service_into_form(
                request,
                form,
                services.decide_eligibility,
                app,
                S(data["outcome"]),
                request.user,
                reason=data["reason"],
                success=_("已記錄資格審查結果"),
            )
        if done:
            return redirect("review:application", pk=app.pk)
    if app.state not in services.ELIGIBILITY_STATES:
        # No form to show again (the application moved on meanwhile): say why at the top.
        return _said_on_top(
            request, form, _("目前不在資格審查階段。"), "review:application", app.pk
        )
    return _application_page(request, app, eligibility_form=form, status=400)


@require_POST
@staff_required(*OPERATOR)
def application_startup_priority(request, pk):
    """The operator settles the start-up priority (confirms or denies it) with the reason; bad
    input or a refusal shows the page again with the errors beside the fields."""
    app = get_object_or_404(Application.objects.select_related("company", "call"), pk=pk)
    if app.state == S.DRAFT:
        raise PermissionDenied
    form = StartupPriorityForm(request.POST, prefix="sp")
    if form.is_valid() and _service_into_form(
        request,
        form,
        services.settle_startup_priority,
        app,
        request.user,
        priority=form.cleaned_data["priority"] == "yes",
        reason=form.cleaned_data["reason"],
        success=_("已記錄新創優先資格確認結果"),
    ):
        return redirect("review:application", pk=app.pk)
    if app.state not in services.PRIORITY_SETTLING_STATES:
        # No form to show again (the application moved on meanwhile): say why at the top.
        return _said_on_top(
            request,
            form,
            _("此申請案已不在審查中，無法變更新創優先資格"),
            "review:application",
            app.pk,
        )
    # Bad input or a refusal: the page again (400), the errors beside the fields and the
    # reason typed kept.
    return _application_page(request, app, startup_priority_form=form, status=400)


@require_POST
@staff_required(*OPERATOR)
def application_assign(request, pk):
    app = get_object_or_404(Application, pk=pk)
    form = AssignForm(request.POST, application=app)
    if form.is_valid():
        try:
            assignment = services.assign_reviewer(
                app, form.cleaned_data["reviewer"], request.user, request=request
            )
        except (services.ReviewError, workflow.TransitionRefused) as error:
            messages.error(request, error.message)
        else:
            if assignment.conflict_flag:
                # Not a reviewer of this application: the operator needs another one.
                messages.warning(
                    request,
                    _(
                        "已指派審查委員，但系統偵測有利益衝突，此委員不審查本案、不計入審查人數：%(flag)s"
                    )
                    % {"flag": assignment.conflict_flag},
                )
            else:
                messages.success(request, _("已指派審查委員"))
    else:
        messages.error(request, _("請選擇審查委員"))
    return redirect("review:application", pk=app.pk)


@require_POST
@staff_required(*OPERATOR)
def assignment_unassign(request, pk):
    """Withdraw a reviewer who has not submitted (the page asks first)."""
    assignment = get_object_or_404(Assignment, pk=pk)
    _service_call(
        request,
        services.unassign_reviewer,
        assignment,
        request.user,
        success=_("已取消指派審查委員"),
    )
    return redirect("review:application", pk=assignment.application_id)


@require_POST
@staff_required(*OPERATOR)
def assignment_reopen(request, pk):
    """Unlock a reviewer's submitted scores, with the reason (in the audit log)."""
    return _assignment_action_with_reason(
        request, pk, ReopenForm, "r", services.reopen_scores, _("已開放審查委員修改評分")
    )


@require_POST
@staff_required(*OPERATOR)
def assignment_clear_flag(request, pk):
    """Confirm that a conflict the system flagged is not one, with the reason (the page asks
    first; kept with the assignment and in the audit log)."""
    return _assignment_action_with_reason(
        request,
        pk,
        ClearFlagForm,
        "c",
        services.clear_conflict_flag,
        _("已確認非利益衝突；審查委員須自行聲明利益迴避後評分"),
    )


def _assignment_action_with_reason(request, pk, form_class, prefix, function, success):
    """An operator's action on one assignment that needs a reason: the application's page has
    one small form per assignment (``prefix`` and its id); a missing reason or a refusal is
    said at the top of that page, where the operator returns."""
    assignment = get_object_or_404(Assignment, pk=pk)
    form = form_class(request.POST, prefix=f"{prefix}{assignment.pk}")
    if form.is_valid():
        _service_call(
            request,
            function,
            assignment,
            request.user,
            reason=form.cleaned_data["reason"],
            success=success,
        )
    else:
        messages.error(request, form.errors["reason"][0])
    return redirect("review:application", pk=assignment.application_id)


# --- the reviewer's pages ---------------------------------------------------------------


@staff_required(*REVIEWER)
def mine(request):
    profile = ReviewerProfile.objects.filter(user=request.user).first()
    assignments = list(
        Assignment.objects.filter(reviewer=request.user)
        .select_related("application__company", "application__batch__category__call")
        .order_by("application__batch__review_date", "application__number")
    )
    return render(
        request,
        "review/mine.html",
        {
            "assignments": assignments,
            # Sheets the operator opened again: said so, not 「未完成」 as if never sent.
            "reopened": services.reopened_ids(assignments),
            "open_count": services.open_assignments(request.user).count(),
            "affiliations": profile.affiliation_lines() if profile else [],
        },
    )


@staff_required(*REVIEWER)
def affiliations(request):
    """The reviewer keeps their own affiliations, which the conflict check compares with every
    applicant (the operator can still edit them in the admin)."""
    profile = ReviewerProfile.objects.filter(user=request.user).first()
    current = "\n".join(profile.affiliation_lines()) if profile else ""
    form = AffiliationsForm(request.POST or None, initial={"affiliations": current})
    if request.method == "POST" and form.is_valid():
        flagged = services.update_affiliations(
            request.user, form.cleaned_data["affiliations"], request=request
        )
        messages.success(request, _("已更新任職或關係機構"))
        if flagged:
            messages.warning(
                request,
                ngettext(
                    "系統依您的任職或關係機構偵測到利益衝突，已撤除 %(count)s 件審查案件：%(numbers)s",  # noqa: E501
                    "系統依您的任職或關係機構偵測到利益衝突，已撤除 %(count)s 件審查案件：%(numbers)s",  # noqa: E501
                    len(flagged),
                )
                % {
                    "count": len(flagged),
                    "numbers": join_list([a.application.number for a in flagged]),
                },
            )
        return redirect("review:mine")
    return render(request, "review/affiliations.html", {"form": form})


def declaration_parties(app):
    """The applicant's representative and project lead (專案主持人) as the version under
    review gives them: a reviewer cannot declare a tie to people the page does not name."""
    version = services.reviewed_version(app)
    answers = version.data.get("answers", {}) if version is not None else app.data
    profile = answers.get("profile") or {}
    return {"representative": profile.get("representative", ""), "pi": profile.get("pi_name", "")}


def _shown(value):
    return "" if value is None else str(value).strip()


def _same_sheet(posted, stored):
    """Whether the score sheet ``posted`` says what ``stored`` (the form's initial values of
    the saved sheet) says."""
    names = set(stored) | {
        name
        for name in posted
        if name.startswith(("score_", "comment_")) or name in ("overall_comment", "suggested_tier")
    }
    return all(_shown(stored.get(name)) == _shown(posted.get(name)) for name in names)


def _add_submission_gaps(form, criteria):
    """Add to an invalid score form what a submission lacks besides, on the fields not
    refused already (``services.submission_gaps``)."""
    data = form.cleaned_data
    scores = {}
    for criterion in criteria:
        # A refused score is not missing: its own error stands.
        value = 0 if f"score_{criterion.pk}" in form.errors else data.get(f"score_{criterion.pk}")
        scores[criterion.pk] = (value, data.get(f"comment_{criterion.pk}", ""))
    tier = "refused" if "suggested_tier" in form.errors else data.get("suggested_tier", "")
    gaps = services.submission_gaps(criteria, scores, data.get("overall_comment", ""), tier)
    for key, message in gaps.items():
        field = key if isinstance(key, str) else f"score_{key}"
        if field not in form.errors:
            form.add_error(field, message)


def _saved_sheet(assignment, criteria):
    """The sheet as saved: its scores by criterion, the form's initial values, and its
    ``services.sheet_version`` (which the form carries)."""
    stored = {s.criterion_id: s for s in assignment.scores.all()}
    initial = {
        "overall_comment": assignment.overall_comment,
        "suggested_tier": assignment.suggested_tier,
    }
    for criterion in criteria:
        if criterion.pk in stored:
            initial[f"score_{criterion.pk}"] = stored[criterion.pk].value
            initial[f"comment_{criterion.pk}"] = stored[criterion.pk].comment
    version = services.sheet_version(
        criteria,
        {pk: (score.value, score.comment) for pk, score in stored.items()},
        assignment.overall_comment,
        assignment.suggested_tier,
    )
    return stored, initial, version


def _sheet_differences(posted, form, initial):
    """Where a refused sheet ``posted`` differs from the saved one (``initial``, the form's
    initial values): each field's label, what was typed and what is saved (a tier by its
    label), in the form's order; scores as well as comments, so that nothing typed is lost
    unseen and the reviewer sees which scores the refused sheet would have changed."""
    rows = []
    for name, field in form.fields.items():
        typed, saved = _shown(posted.get(name)), _shown(initial.get(name))
        if typed == saved:
            continue
        choices = {str(code): label for code, label in getattr(field, "choices", ())}
        rows.append(
            {
                "name": name,
                "label": field.label,
                "typed": choices.get(typed) or typed,
                "saved": choices.get(saved) or saved,
            }
        )
    return rows


def _mark_saved_elsewhere(form, initial):
    """Beside each field where what is saved now differs from what this form typed, what is
    saved (the tier by its label)."""
    for name, field in form.fields.items():
        saved = initial.get(name)
        if _shown(form[name].value()) != _shown(saved):
            choices = {str(code): label for code, label in getattr(field, "choices", ())}
            field.saved_elsewhere = choices.get(_shown(saved)) or _shown(saved) or "—"


def own_assignment(request, pk):
    """Object-level check: a reviewer reaches only their own assignments."""
    return get_object_or_404(
        Assignment.objects.select_related("application__company", "application__call"),
        pk=pk,
        reviewer=request.user,
    )


@staff_required(*REVIEWER)
@resumable
def assignment_detail(request, pk):
    assignment = own_assignment(request, pk)
    app = assignment.application
    _audit_view(request, "review.assignment_viewed", app)
    context = {"assignment": assignment, "application": app}
    if assignment.conflict == Assignment.Conflict.UNDECLARED and not assignment.conflict_flag:
        # The people the declaration asks about, as the reviewed version names them.
        context["parties"] = declaration_parties(app)
        form = ConflictForm(request.POST or None)
        status = 200
        if request.method == "POST" and form.is_valid():
            ok = _service_into_form(
                request,
                form,
                services.declare_conflict,
                assignment,
                request.user,
                has_conflict=form.cleaned_data["conflict"] == "declared",
                reason=form.cleaned_data["reason"],
                success=_("已完成利益迴避聲明"),
            )
            if ok:
                return redirect("review:assignment", pk=assignment.pk)
        if request.method == "POST":
            status = 400
        context["conflict_form"] = form
        return render(request, "review/declare.html", context, status=status)
    if assignment.is_conflicted:
        return render(request, "review/declare.html", context)
    stepping_aside = request.method == "POST" and "step_aside" in request.POST
    aside_form = None
    if app.state in services.OPEN_REVIEW_STATES:
        aside_form = StepAsideForm(request.POST if stepping_aside else None, prefix="aside")
    stepped_aside = (
        stepping_aside
        and aside_form is not None
        and aside_form.is_valid()
        and _service_into_form(
            request,
            aside_form,
            services.step_aside,
            assignment,
            request.user,
            reason=aside_form.cleaned_data["reason"],
            success=_("已聲明利益迴避"),
        )
    )
    if stepped_aside:
        return redirect("review:assignment", pk=assignment.pk)
    criteria = services.criteria_of(app)
    stored, initial, sheet_version = _saved_sheet(assignment, criteria)
    locked = assignment.is_submitted or app.state != S.IN_REVIEW
    scoring = request.method == "POST" and not locked and not stepping_aside
    unsaved = None
    stale = False
    refused = request.method == "POST" and locked and not stepping_aside
    if refused and assignment.is_submitted and _same_sheet(request.POST, initial):
        # The submitted sheet sent again (the back button, a second click, another tab).
        messages.success(request, _("評分已送出"))
        return redirect("review:assignment", pk=assignment.pk)
    form = ScoreForm(
        request.POST if scoring else None,
        criteria=criteria,
        call=app.call,
        initial=initial,
    )
    if refused:
        # Something else sent to a sheet that takes no more scores: not saved, but what
        # differs from the saved sheet (scores and comments) is shown, the typing to be
        # copied, not dropped.
        unsaved = _sheet_differences(request.POST, form, initial)
    status = 200
    if stepping_aside:
        # Refused (no reason, or the review moved on meanwhile): the page again, with why.
        if aside_form is None:
            messages.error(request, _("此申請案目前不在專業審查階段"))
        status = 400
    if scoring:
        if form.is_valid():
            submit = "submit" in request.POST
            try:
                assignment, errors = services.save_scores(
                    assignment,
                    request.user,
                    scores=form.scores(),
                    overall_comment=form.cleaned_data["overall_comment"],
                    suggested_tier=form.cleaned_data["suggested_tier"],
                    submit=submit,
                    based_on=request.POST.get("sheet_version") or None,
                    request=request,
                )
            except services.StaleSheet:
                # Another tab saved another sheet since this one was rendered: this tab's
                # typing stays in the form, beside each field what is saved now; the page
                # carries the new version, so saving again keeps this tab's sheet.
                stale = True
                errors = {}
                assignment.refresh_from_db()
                stored, initial, sheet_version = _saved_sheet(assignment, criteria)
                _mark_saved_elsewhere(form, initial)
            except services.ReviewError as error:
                assignment.refresh_from_db()
                if not assignment.is_submitted:
                    messages.error(request, error.message)
                    return redirect("review:assignment", pk=assignment.pk)
                # Submitted from another tab at the same moment: answered as a sheet sent to
                # the submitted one is, what was typed shown to be copied.
                stored, initial, sheet_version = _saved_sheet(assignment, criteria)
                if _same_sheet(request.POST, initial):
                    messages.success(request, _("評分已送出"))
                    return redirect("review:assignment", pk=assignment.pk)
                locked = True
                form = ScoreForm(criteria=criteria, call=app.call, initial=initial)
                unsaved = _sheet_differences(request.POST, form, initial)
                errors = {}
            else:
                if not errors:
                    messages.success(request, _("評分已送出") if submit else _("評分草稿已儲存"))
                    return redirect("review:assignment", pk=assignment.pk)
            for key, message in errors.items():
                form.add_error(key if isinstance(key, str) else f"score_{key}", message)
        elif "submit" in request.POST:
            # A field refused (a score out of range): the rest of what a submission lacks is
            # said at once, each beside its field, not only at the next send.
            _add_submission_gaps(form, criteria)
        status = 409 if stale else 400
    if unsaved is not None:
        status = 409
    if locked:
        for field in form.fields.values():
            field.disabled = True
    version, sections = version_sections(app)
    context.update(
        {
            "form": form,
            "aside_form": aside_form,
            "locked": locked,
            "version": version,
            "sections": sections,
            "total": (
                services.weighted_total(assignment)
                if any(score.value is not None for score in stored.values())
                else None
            ),
            # 03-rules: start-up priority is a flag the reviewers see, not only the meeting.
            "startup_priority": services.startup_priority(app),
            "unsaved": unsaved,
            "stale": stale,
            # A sheet open again after it was submitted: when and why the operator opened it.
            "reopened": None if locked else services.last_reopening(assignment),
            "sheet_version": sheet_version,
        }
    )
    return render(request, "review/score.html", context, status=status)


# --- the meeting ------------------------------------------------------------------------


def _meeting_page(
    request,
    batch,
    *,
    decision_form=None,
    override_form=None,
    send_back_form=None,
    approve_form=None,
    start_form=None,
    status=200,
):
    """The meeting page; ``decision_form`` or ``override_form`` (bound, for one application)
    or ``approve_form`` shown again with their errors when a POST was refused."""
    rows = services.ranking(batch)
    category_budget = Budget.objects.filter(category=batch.category).first()
    budget, awarded, staged = services.budget_status(batch.category, budget=category_budget)
    # A decision needs this many reviewers' submitted scores (``stage_decision``): a row with
    # fewer reviewers says so, before the operator records a decision and is refused.
    minimum = services.minimum_reviewers(batch.category, budget=category_budget)
    # 本次擬核發點數 is this batch's; decisions staged in the category's other batches (their
    # lists not approved yet) are committed too, and shown on their own row.
    staged_here = sum(
        row.decision.points
        for row in rows
        if row.decision is not None and row.application.state == S.DECIDED
    )
    # Read with the batch where the view joined it (``meeting``), else one query; None when the
    # batch has none yet.
    review = getattr(batch, "review", None)
    approved = bool(review and review.approved_at)
    call = batch.category.call
    can_stage = rules.can_assign_reviewers(request.user) and not approved
    can_approve = rules.can_decide_awards(request.user) and not approved
    # The decision forms' options, read once for all of them; no decision form, no query.
    tiers = Tier.objects.filter(call=call) if can_stage else Tier.objects.none()
    list(tiers)
    refused = {
        form.prefix: form
        for form in (decision_form, override_form, send_back_form)
        if form is not None
    }
    # Only the forms the page shows, a form of each kind per application at most: the
    # operator records decisions, the organiser adjusts points or sends a decision back.
    for row in rows:
        app, decision = row.application, row.decision
        row.too_few = app.state == S.IN_REVIEW and len(row.scores) + row.pending < minimum
        row.decision_form = row.override_form = row.send_back_form = None
        if can_stage and app.state in (S.IN_REVIEW, S.DECIDED):
            row.decision_form = refused.get(f"d{app.pk}") or DecisionForm(
                call=call,
                tiers=tiers,
                prefix=f"d{app.pk}",
                initial={
                    "outcome": decision.outcome if decision else "",
                    "tier": decision.tier_id if decision else None,
                    "reasons": decision.reasons if decision else "",
                },
            )
        if can_approve and decision is not None and app.state == S.DECIDED:
            if decision.outcome == Decision.Outcome.APPROVED:
                row.override_form = refused.get(f"o{app.pk}") or OverrideForm(
                    prefix=f"o{app.pk}", initial={"points": decision.points}
                )
            row.send_back_form = refused.get(f"b{app.pk}") or SendBackForm(prefix=f"b{app.pk}")
    context = {
        "batch": batch,
        "rows": rows,
        "reviewer_columns": max((len(r.scores) for r in rows), default=0),
        "minimum": minimum,
        "budget": budget,
        "awarded": awarded,
        "staged": staged_here,
        "staged_elsewhere": staged - staged_here,
        "remaining": (budget - awarded - staged) if budget is not None else None,
        # Staged points beyond what the budget has left: said before the list is approved.
        "over_budget": (
            max(awarded + staged - budget, 0) if budget is not None and not approved else 0
        ),
        "review": review,
        "approved": approved,
        "can_stage": can_stage,
        "can_approve": can_approve,
        "approve_form": approve_form or ApproveForm(),
        "start_form": start_form
        or StartDateForm(initial={"starts_on": review.award_starts_on if review else None}),
        "award_starts_on": review.award_starts_on if review else None,
        "all_decided": bool(rows)
        and all(r.application.state in (S.DECIDED, S.APPROVED, S.NOT_APPROVED) for r in rows),
        # The applications the list waits for, named (in a batch of 125, 「所有申請案皆有決議後」
        # left the organiser and the operator to find them row by row).
        "undecided": [
            r.application
            for r in sorted(rows, key=lambda r: r.application.number or "")
            if r.application.state not in (S.DECIDED, S.APPROVED, S.NOT_APPROVED)
        ],
    }
    return render(request, "review/meeting.html", context, status=status)


@staff_required(*READERS)
def meeting(request, pk):
    batch = get_object_or_404(Batch.objects.select_related("category__call", "review"), pk=pk)
    return _meeting_page(request, batch)


def _back_to_row(app):
    """The meeting page at ``app``'s row: after a decision, an amount or a send-back, the
    meeting carries on where it was (at the top of a 125-row table, the operator scrolled back
    down to the row each time). The message still takes the focus, without scrolling."""
    url = reverse("review:meeting", args=[app.batch_id])
    return redirect(f"{url}#row-{app.number}")


@require_POST
@staff_required(*OPERATOR)
def application_decision(request, pk):
    """The meeting's decision on one application; bad input or a refusal shows the meeting
    again (400) with the errors in that application's row, what was chosen kept."""
    app = get_object_or_404(Application.objects.select_related("call"), pk=pk)
    form = DecisionForm(request.POST, call=app.call, prefix=f"d{app.pk}")
    if form.is_valid():
        data = form.cleaned_data
        if _service_into_form(
            request,
            form,
            services.stage_decision,
            app,
            request.user,
            outcome=data["outcome"],
            tier=data["tier"],
            reasons=data["reasons"],
            success=_("已記錄審查會議決議"),
        ):
            return _back_to_row(app)
    batch = get_object_or_404(Batch.objects.select_related("category__call"), pk=app.batch_id)
    app.refresh_from_db(fields=["state"])
    # The row's form is on the page only while the meeting may still decide (not after the
    # list was approved, say in another tab): otherwise the reason goes at the top.
    shown = app.state in (S.IN_REVIEW, S.DECIDED) and not services.is_batch_approved(batch)
    if not shown or not any(row.application.pk == app.pk for row in services.ranking(batch)):
        return _said_on_top(request, form, _("請選擇決議"), "review:meeting", batch.pk)
    return _meeting_page(request, batch, decision_form=form, status=400)


@require_POST
@staff_required(*ORGANISER)
def application_override(request, pk):
    """The organiser's amount; bad input or a refusal shows the meeting again (400) with the
    errors next to the fields in that application's row and what was typed kept."""
    decision = get_object_or_404(Decision.objects.select_related("application"), application_id=pk)
    form = OverrideForm(request.POST, prefix=f"o{pk}")
    if form.is_valid() and _service_into_form(
        request,
        form,
        services.override_points,
        decision,
        request.user,
        points=form.cleaned_data["points"],
        reason=form.cleaned_data["reason"],
        success=_("已調整核發點數"),
    ):
        return _back_to_row(decision.application)
    batch = get_object_or_404(
        Batch.objects.select_related("category__call"), pk=decision.application.batch_id
    )
    app = decision.application
    shown = (
        app.state == S.DECIDED
        and decision.outcome == Decision.Outcome.APPROVED
        and rules.can_decide_awards(request.user)
    )
    if not shown:
        # No form to show again (the list was approved meanwhile): say why at the top.
        return _said_on_top(
            request, form, _("請輸入核發點數及調整理由"), "review:meeting", batch.pk
        )
    return _meeting_page(request, batch, override_form=form, status=400)


@require_POST
@staff_required(*ORGANISER)
def application_send_back(request, pk):
    """The organiser sends one staged decision back to the operator; a missing reason or a
    refusal shows the meeting again (400) with the error in that application's row."""
    decision = get_object_or_404(Decision.objects.select_related("application"), application_id=pk)
    form = SendBackForm(request.POST, prefix=f"b{pk}")
    batch_id = decision.application.batch_id
    if form.is_valid() and _service_into_form(
        request,
        form,
        services.send_back,
        decision,
        request.user,
        reason=form.cleaned_data["reason"],
        success=_("已退回執行單位：%(number)s") % {"number": decision.application.number},
    ):
        return _back_to_row(decision.application)
    if decision.application.state != S.DECIDED:
        return _said_on_top(request, form, _("請填寫退回理由"), "review:meeting", batch_id)
    batch = get_object_or_404(Batch.objects.select_related("category__call"), pk=batch_id)
    return _meeting_page(request, batch, send_back_form=form, status=400)


@require_POST
@staff_required(*OPERATOR)
def batch_award_start(request, pk):
    """The operator's first day of the batch's awards; a day already past, or the list approved
    meanwhile, shows the meeting again (400) with the error and the date typed kept."""
    batch = get_object_or_404(Batch.objects.select_related("category__call"), pk=pk)
    form = StartDateForm(request.POST)
    if form.is_valid() and _service_into_form(
        request,
        form,
        services.set_award_start,
        batch,
        form.cleaned_data["starts_on"],
        request.user,
        success=_("已設定使用期間起日"),
    ):
        return redirect("review:meeting", pk=batch.pk)
    return _batch_form_refused(request, batch, start_form=form)


@require_POST
@staff_required(*ORGANISER)
def batch_approve(request, pk):
    """名單核定 (the awards start on the operator's day, else today); a refusal shows the
    meeting again (400) with the reason above the button."""
    batch = get_object_or_404(Batch.objects.select_related("category__call"), pk=pk)
    form = ApproveForm(request.POST)
    if form.is_valid() and _service_into_form(
        request,
        form,
        services.approve_batch,
        batch,
        request.user,
        success=_("名單已核定，已通知申請企業並公告核定名單"),
    ):
        return redirect("review:meeting", pk=batch.pk)
    return _batch_form_refused(request, batch, approve_form=form)


def _batch_form_refused(request, batch, **shown):
    """A refused form of the whole batch's (the awards' first day, the approval): the meeting
    again (400) with it; once the list was approved meanwhile (another tab) its section is gone
    from the page, so the reason is said on top."""
    (form,) = shown.values()
    if services.is_batch_approved(batch):
        return _said_on_top(request, form, _("此梯次名單已核定"), "review:meeting", batch.pk)
    return _meeting_page(request, batch, status=400, **shown)


# --- exports ----------------------------------------------------------------------------


@staff_required(*READERS)
def meeting_csv(request, pk):
    batch = get_object_or_404(Batch.objects.select_related("category__call"), pk=pk)
    response, writer = csv_download(f"{exports.filename(batch)}.csv")
    exports.ranking_csv(batch, writer)
    audit.record("review.meeting_exported", request=request, obj=batch, format="csv")
    return response


@staff_required(*READERS)
def meeting_xlsx(request, pk):
    batch = get_object_or_404(Batch.objects.select_related("category__call"), pk=pk)
    response = HttpResponse(
        exports.ranking_xlsx(batch),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(batch)}.xlsx"'
    audit.record("review.meeting_exported", request=request, obj=batch, format="xlsx")
    return response


def _readable_application(request, pk):
    app = get_object_or_404(Application.objects.select_related("company", "call", "batch"), pk=pk)
    if app.state == S.DRAFT or not services.can_see_application(request.user, app):
        raise PermissionDenied
    return app


@require_safe
@staff_required(*READERS, *REVIEWER)
def application_print(request, pk):
    app = _readable_application(request, pk)
    _audit_view(request, "review.application_printed", app)
    version, sections = version_sections(app)
    return render(
        request,
        "review/print.html",
        {
            "application": app,
            "version": version,
            "sections": sections,
            "form_title": services.form_title(app),
            # The trail back (on screen only): the reviewer's score sheet, else the application.
            "assignment": (
                None
                if rules.can_view_company(request.user)
                else Assignment.objects.filter(application=app, reviewer=request.user).first()
            ),
        },
    )


@require_safe
@staff_required(*READERS, *REVIEWER)
def application_pdf(request, pk):
    app = _readable_application(request, pk)
    _audit_view(request, "review.application_pdf", app)
    version, sections = version_sections(app)
    response = HttpResponse(
        exports.application_pdf(app, version, sections), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{app.number}.pdf"'
    return response


# --- the audit log ----------------------------------------------------------------------


def _day_start(day, later=0):
    """The start of ``day`` (``later`` days after it) in the site's time zone, or None past the
    calendar's ends, which no entry lies beyond (a search typed 0001-01-01 or 9999-12-31)."""
    try:
        start = datetime.datetime.combine(day + datetime.timedelta(later), datetime.time.min)
        start = timezone.make_aware(start)
        start.astimezone(datetime.UTC)  # the database compares in UTC
    except OverflowError:
        return None
    return start


@staff_required(*rules.AUDIT_VIEWERS)
def audit_log(request):
    form = AuditSearchForm(request.GET or None)
    entries = AuditEntry.objects.select_related("actor").order_by("-id")
    if form.is_valid():
        data = form.cleaned_data
        if data["action"]:
            entries = entries.filter(action__icontains=data["action"])
        if data["actor"]:
            entries = entries.filter(actor__username__icontains=data["actor"])
        if data["object_id"]:
            entries = entries.filter(object_id=data["object_id"])
        # The days as a range of the indexed ``at`` (local midnights): ``at__date`` converts
        # every entry's time first, a pass over the whole log (seconds at 300,000 entries).
        if data["since"] and (start := _day_start(data["since"])):
            entries = entries.filter(at__gte=start)
        if data["until"] and (end := _day_start(data["until"], later=1)):
            entries = entries.filter(at__lt=end)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    for entry in page:
        entry.action_label = ACTION_LABELS.get(entry.action, "")
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "review/audit.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )
