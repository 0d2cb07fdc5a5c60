"""Forms of the review pages. Labels are the spec's words; checks beyond the field types live
in ``services`` (so the same rules hold for every caller)."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aipower.accounts.enums import Role
from aipower.applications import flow
from aipower.calls.models import Tier
from aipower.core.form_messages import (
    NamedInvalidMessages,
    WholeNumberField,
    whole_number_input,
)
from aipower.core.i18n import localized
from aipower.core.widgets import DateInput

from . import widgets
from .models import Decision
from .services import (
    NO_TIER,
    SUPPLEMENT_STEPS,
    ReviewError,
    check_start_date,
    conflict_flags,
    tier_label,
)


class Form(NamedInvalidMessages, forms.Form):
    """No colon after the labels (the spec's labels are shown as they are); a value typed but
    not valid is refused naming the field (``core.form_messages``)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class DrawnForm(widgets.DrawnForm, Form):
    """A form of the meeting's, drawn in Python (``widgets``)."""


class EligibilityForm(Form):
    OUTCOMES = [
        ("eligible", _("資格符合")),
        ("ineligible", _("資格不符")),
        ("supplement", _("要求補件")),
    ]
    outcome = forms.ChoiceField(label=_("資格審查結果"), choices=OUTCOMES, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("理由或補件說明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("資格不符及要求補件時必填，將通知申請企業"),
    )
    steps = forms.MultipleChoiceField(
        label=_("需補正之頁面"), required=False, widget=forms.CheckboxSelectMultiple
    )
    deadline = forms.DateTimeField(
        label=_("補件期限"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        applicable = {step.identifier for step in flow.applicable_steps(application)}
        self.fields["steps"].choices = [
            (identifier, flow.get_step(identifier).title)
            for identifier in SUPPLEMENT_STEPS
            if identifier in applicable
        ]

    def clean(self):
        data = super().clean()
        outcome = data.get("outcome")
        if outcome in ("ineligible", "supplement") and not (data.get("reason") or "").strip():
            self.add_error("reason", _("請填寫理由"))
        if outcome == "supplement":
            if not data.get("steps"):
                self.add_error("steps", _("請選擇需補正之頁面"))
            deadline = data.get("deadline")
            if not deadline and "deadline" not in self.errors:
                self.add_error("deadline", _("請輸入補件期限"))
            elif deadline and deadline <= timezone.now():
                self.add_error("deadline", _("補件期限須晚於現在"))
        return data


class AssignForm(Form):
    reviewer = forms.ModelChoiceField(label=_("審查委員"), queryset=None, empty_label="—")

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        assigned = application.assignments.values_list("reviewer_id", flat=True)
        self.fields["reviewer"].queryset = (
            get_user_model()
            .objects.filter(role=Role.REVIEWER, is_active=True)
            .exclude(pk__in=assigned)
            .order_by("username")
        )
        # The system's conflict check, before the operator assigns: a flagged reviewer would
        # not review the application nor count towards its reviewers.
        flags = conflict_flags(application, self.fields["reviewer"].queryset)
        self.fields["reviewer"].label_from_instance = lambda u: (
            _("%(name)s（系統偵測利益衝突）") % {"name": u.shown_name}
            if flags.get(u.pk)
            else u.shown_name
        )


class ConflictForm(Form):
    CHOICES = [("none", _("無利益衝突")), ("declared", _("有利益衝突，迴避"))]
    conflict = forms.ChoiceField(
        label=_("利益迴避聲明"),
        choices=CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("請選擇有無利益衝突")},
    )
    reason = forms.CharField(
        label=_("迴避理由"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        if data.get("conflict") == "declared" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("請填寫迴避理由"))
        return data


class StepAsideForm(Form):
    """A conflict the reviewer finds after declaring none (on the score page)."""

    reason = forms.CharField(
        label=_("迴避理由"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("請填寫迴避理由")},
    )


def tier_choices(call):
    return (
        [("", "—")]
        + [(tier.code, tier_label(tier)) for tier in Tier.objects.filter(call=call)]
        + [(NO_TIER, _("不推薦"))]
    )


SCORE_ERROR = _("請輸入 0 至 100 之整數分數")


class ScoreForm(Form):
    """One score and comment per criterion, the overall comment and the suggested tier."""

    overall_comment = forms.CharField(
        label=_("總評"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    suggested_tier = forms.ChoiceField(label=_("建議級別"), required=False)

    def __init__(self, *args, criteria, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.IntegerField(
                label=_("%(name)s（%(weight)s%%）")
                % {"name": localized(criterion, "name"), "weight": criterion.weight},
                required=False,
                min_value=0,
                max_value=100,
                help_text=_("0 至 100 之整數"),
                # One message for every bad score, the one ``services.save_scores`` gives.
                error_messages=dict.fromkeys(("invalid", "min_value", "max_value"), SCORE_ERROR),
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("%(name)s評語") % {"name": localized(criterion, "name")},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.fields["suggested_tier"].choices = tier_choices(call)
        self.order_fields(
            [name for c in self.criteria for name in (f"score_{c.pk}", f"comment_{c.pk}")]
            + ["overall_comment", "suggested_tier"]
        )

    def criterion_rows(self):
        return [(self[f"score_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    def scores(self):
        data = self.cleaned_data
        return {
            c.pk: (data.get(f"score_{c.pk}"), data.get(f"comment_{c.pk}", ""))
            for c in self.criteria
        }


# The meeting's forms (one of each per application on its page) are drawn in Python
# (``widgets``): the same markup as Django's templates, a fraction of the time.


class DecisionForm(DrawnForm):
    outcome = forms.ChoiceField(
        label=_("決議"), choices=Decision.Outcome.choices, widget=widgets.RadioSelect
    )
    tier = forms.ModelChoiceField(
        label=_("核定級別"),
        queryset=Tier.objects.none(),
        required=False,
        widget=widgets.Select,
    )
    reasons = forms.CharField(
        label=_("決議理由"), required=False, widget=widgets.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, call, tiers=None, **kwargs):
        """``tiers``: the call's tiers (``Tier.objects.filter(call=call)``) when the caller
        read them already: the meeting shows one form per application, and each form listing
        the options without a query still built its own filtered queryset (a sixth of the
        forms' time); a read queryset is shared, its rows listed from its cache."""
        super().__init__(*args, **kwargs)
        field = self.fields["tier"]
        if tiers is None:
            tiers = Tier.objects.filter(call=call)
        field.queryset = tiers
        field.choices = [("", "—")] + [(tier.pk, tier_label(tier)) for tier in tiers]

    def clean(self):
        data = super().clean()
        outcome = data.get("outcome")
        # A tier sent that is not one is said by the field itself.
        if (
            outcome == Decision.Outcome.APPROVED
            and not data.get("tier")
            and "tier" not in self.errors
        ):
            self.add_error("tier", _("核定通過須選擇級別"))
        if outcome == Decision.Outcome.NOT_APPROVED and not (data.get("reasons") or "").strip():
            self.add_error("reasons", _("未獲核定須填寫理由"))
        return data


class OverrideForm(DrawnForm):
    # 0 points would make an approved award worth nothing: not awarding is the meeting's
    # 「未獲核定」, which the operator records.
    POINTS = _("核發點數須為 1 以上之整數；如本案不予核發，請由執行單位將決議改為「未獲核定」")
    # A text box with the digit keyboard, drawn in Python: a number box would send 「1,000」 as
    # nothing; the field reads it as 1000.
    points = WholeNumberField(
        label=_("核發點數"),
        min_value=1,
        widget=whole_number_input(widgets.TextInput),
        error_messages={"required": POINTS, "invalid": POINTS, "min_value": POINTS},
    )
    reason = forms.CharField(
        label=_("調整理由"),
        widget=widgets.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("調整點數須填寫理由")},
    )


class SendBackForm(DrawnForm):
    """Why the organiser sends a staged decision back to the operator (kept in the audit log)."""

    reason = forms.CharField(
        label=_("退回理由"),
        max_length=500,
        widget=widgets.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("請填寫退回理由")},
    )


class ReopenForm(Form):
    """Why the operator unlocks a reviewer's submitted scores (kept in the audit log)."""

    reason = forms.CharField(
        label=_("開放修改理由"),
        max_length=500,
        error_messages={"required": _("請填寫開放修改理由")},
    )


class StartupPriorityForm(Form):
    """The operator's finding on the start-up priority (``services.settle_startup_priority``)."""

    priority = forms.ChoiceField(
        label=_("新創優先資格"),
        choices=[("yes", _("是")), ("no", _("否"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("請選擇是否具新創優先資格")},
    )
    reason = forms.CharField(
        label=_("確認理由"),
        help_text=_("例如：經濟部商業發展署商工登記之核准設立日期及查詢日期"),
        max_length=500,
        error_messages={"required": _("請填寫確認理由")},
    )


class AffiliationsForm(Form):
    """The reviewer's own affiliations, one a line (``services.update_affiliations``)."""

    affiliations = forms.CharField(
        label=_("任職或關係機構"),
        help_text=_("機構名稱或統一編號，每行一個"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )


class ClearFlagForm(Form):
    """Why the operator finds a conflict the system flagged is not one (kept with the
    assignment and in the audit log)."""

    reason = forms.CharField(
        label=_("確認非利益衝突之理由"),
        max_length=500,
        error_messages={"required": _("請填寫確認非利益衝突之理由")},
    )


class AuditSearchForm(Form):
    action = forms.CharField(label=_("動作"), required=False)
    actor = forms.CharField(label=_("操作者帳號"), required=False)
    object_id = forms.CharField(label=_("對象編號"), required=False)
    since = forms.DateField(label=_("起日"), required=False, widget=DateInput())
    until = forms.DateField(label=_("迄日"), required=False, widget=DateInput())


class ApproveForm(Form):
    """名單核定: a confirmation (its errors are the refusal's); the awards' first day is the
    operator's (``StartDateForm``)."""


class StartDateForm(Form):
    """The operator's first day of the batch's awards."""

    starts_on = forms.DateField(
        label=_("使用期間起日"),
        required=False,
        widget=DateInput(),
        help_text=_("未填寫時為公告當日"),
    )

    def clean_starts_on(self):
        starts_on = self.cleaned_data.get("starts_on")
        try:
            check_start_date(starts_on)
        except ReviewError as refused:
            raise forms.ValidationError(refused.message) from refused
        return starts_on
