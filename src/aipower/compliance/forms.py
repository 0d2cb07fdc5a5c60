"""The operator's forms: record a violation with its evidence, decide its sanction."""

import datetime

from django import forms
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from aipower.core.form_messages import NamedInvalidMessages
from aipower.core.i18n import company_label
from aipower.core.roc import format_date_in, format_period
from aipower.core.widgets import DateInput
from aipower.review.models import Award

from . import services
from .enums import PledgeState, Sanction, UsageRule


class AwardChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, award):
        """Company, category and period of use, the dates as the rest of the site shows them
        (ROC in zh-Hant, ISO in English)."""
        return gettext("%(company)s%(kind)s %(period)s") % {
            "company": company_label(award.company),
            "kind": award.category.get_kind_display(),
            "period": format_period(award.starts_on, award.ends_on),
        }


class RecordForm(NamedInvalidMessages, forms.Form):
    award = AwardChoiceField(
        label=_("核定結果"),
        queryset=Award.objects.none(),
        error_messages={"required": _("請選擇違規之核定案。")},
    )
    rule = forms.ChoiceField(
        label=_("違反之使用規範"),
        choices=UsageRule.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("請選擇違反之使用規範。")},
    )
    occurred_on = forms.DateField(
        label=_("發生日期"),
        widget=DateInput(),
        error_messages={"required": _("請輸入發生日期。")},
    )
    evidence = forms.CharField(
        label=_("事證說明"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("記錄發現之經過、時間、來源位址或紀錄編號等事證。"),
        error_messages={"required": _("請輸入事證說明。")},
    )
    urgent = forms.BooleanField(label=_("情節急迫"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["award"].queryset = Award.objects.select_related(
            "company", "category"
        ).order_by("company__name", "-starts_on")

    def clean_occurred_on(self):
        value = self.cleaned_data["occurred_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("發生日期不得晚於今日。"))
        return value

    def clean_evidence(self):
        evidence = self.cleaned_data["evidence"].strip()
        if not evidence:
            raise forms.ValidationError(_("請輸入事證說明。"))
        return evidence

    def clean(self):
        data = super().clean()
        award, occurred_on = data.get("award"), data.get("occurred_on")
        if award and occurred_on and not award.starts_on <= occurred_on <= award.ends_on:
            # 使用規範: a violation is something done during the period of use.
            self.add_error(
                "occurred_on",
                _("發生日期須在核定使用期間內（%(start)s 至 %(end)s）。")
                % {
                    "start": format_date_in(award.starts_on, translation.get_language()),
                    "end": format_date_in(award.ends_on, translation.get_language()),
                },
            )
        return data


class DecideForm(NamedInvalidMessages, forms.Form):
    sanction = forms.ChoiceField(
        label=_("處分"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("請選擇處分。"),
            "invalid_choice": _("此處分不適用於本案。"),
        },
    )
    bar_until = forms.DateField(
        label=_("停權期限"),
        required=False,
        widget=DateInput(),
        help_text=_("停權下次申請資格乙次：期限內之申請，資格預檢將列為不符合。"),
    )
    note = forms.CharField(
        label=_("處分說明"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, violation, allowance, **kwargs):
        """``allowance``: the violation's award's (None when it has none)."""
        super().__init__(*args, **kwargs)
        self.violation = violation
        allowed = services.allowed_sanctions(violation, allowance)
        self.fields["sanction"].choices = [(s.value, s.label) for s in allowed]
        if not self.is_bound:
            self.initial.setdefault(
                "bar_until",
                timezone.localdate() + datetime.timedelta(days=services.DEFAULT_BAR_DAYS),
            )

    def clean(self):
        data = super().clean()
        if data.get("sanction") == Sanction.BAR:
            until = data.get("bar_until")
            if until is None and "bar_until" not in self.errors:
                self.add_error("bar_until", _("請填寫停權期限。"))
            elif until is not None and until <= timezone.localdate():
                self.add_error("bar_until", _("停權期限須晚於今日。"))
        return data


class PledgeCheckForm(NamedInvalidMessages, forms.Form):
    state = forms.ChoiceField(
        label=_("上架情形"),
        choices=[(PledgeState.MET.value, PledgeState.MET.label),
                 (PledgeState.UNMET.value, PledgeState.UNMET.label)],
        widget=forms.RadioSelect,
        error_messages={"required": _("請選擇上架情形。")},
    )  # fmt: skip
    note = forms.CharField(
        label=_("確認說明"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("未上架者列入觀察名單。"),
    )

    def __init__(self, *args, pledge, **kwargs):
        super().__init__(*args, **kwargs)
        self.pledge = pledge
