"""Forms of the follow-up: the company's productisation survey and the operator's round.

``SurveyForm`` is the application form's section 8 (``applications.forms.ProductForm``: the same
option lists, labels, 其他 follow-ups and the exclusive 「以上皆無，尚在開發階段」 of 8.2), without
section 9, plus what the company has produced and sold since. Like the wizard's forms, a draft is
lenient (nothing required, formats still checked) and ``stored_values()`` keeps what was typed
where a field is refused, so nothing is lost.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from aipower.applications.forms import (
    HINT_NONE,
    NormalisedField,
    ProductForm,
    amount_ntd,
    count,
    text,
)
from aipower.calls.models import Call
from aipower.core.form_messages import NamedInvalidMessages
from aipower.core.i18n import join_list, localized
from aipower.core.widgets import DateInput
from aipower.deliverables.validators import MAX_LINK_LENGTH, normalise_link

from .models import Round

NOTES_MAX = 3000
HTTPS_HINT = _("選填，請輸入以 https:// 開頭的網址")


def https_field(label):
    return NormalisedField(
        label=label,
        help_text=HTTPS_HINT,
        normaliser=normalise_link,
        required=False,
        max_length=MAX_LINK_LENGTH,
        widget=forms.URLInput(attrs={"inputmode": "url", "placeholder": "https://"}),
    )


class SurveyForm(ProductForm):
    """The productisation survey (產品化調查). ``planned``: the application's section 7."""

    other_needs = None  # section 9 of the application is not asked again
    models_made = count(
        _("已產出模型（項）"),
        help_text="",
        error_messages={"required": _("請填寫已產出模型（項）")},
    )
    applications_made = count(
        _("已產出應用（項）"),
        help_text="",
        error_messages={"required": _("請填寫已產出應用（項）")},
    )
    product_name = text(
        _("產品或服務名稱"),
        help_text=HINT_NONE,
        error_messages={"required": _('請填寫產品或服務名稱，若沒有，則填寫"無"')},
    )
    product_url = https_field(_("產品或服務網址"))
    paying_customers = count(
        _("付費客戶數"), help_text="", error_messages={"required": _("請填寫付費客戶數")}
    )
    revenue = amount_ntd(_("營收（新臺幣元，選填）"), required=False)
    open_source_url = https_field(_("開源釋出之資料集或模型網址（選填）"))
    notes = forms.CharField(
        label=_("其他說明"),
        required=False,
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    error_names = {
        **ProductForm.error_names,
        "revenue": _("營收"),
        "open_source_url": _("開源釋出之資料集或模型網址"),
    }

    fieldsets = [
        (_("產出成果"), "", ["models_made", "applications_made"]),
        (
            _("產品化現況"),
            _("請依目前實際情形填寫"),
            [
                "customers",
                "progress",
                "product_forms",
                "product_forms_other",
                "pricing_units",
                "pricing_units_other",
                "pricing_period",
                "pricing_period_other",
            ],
        ),
        (
            _("產品或服務"),
            "",
            ["product_name", "product_url", "paying_customers", "revenue", "open_source_url"],
        ),
        (None, "", ["notes"]),
    ]

    def __init__(self, *args, planned=None, **kwargs):
        super().__init__(*args, **kwargs)
        planned = planned or {}
        for name, key, label in (
            ("models_made", "models", _("申請時預計產出模型：%(count)s 項")),
            ("applications_made", "applications", _("申請時預計產出應用：%(count)s 項")),
        ):
            value = planned.get(key)
            self.fields[name].help_text = label % {"count": "—" if value is None else value}


def answer_rows(data):
    """(name, label, shown value) of each survey question in the form's order, for the pages
    and the CSV: option values become their labels, 其他 texts follow their choice."""
    form = SurveyForm(app=None)
    rows = []
    names = [name for _heading, _intro, names in SurveyForm.fieldsets for name in names]
    for name in names:
        field, value = form.fields[name], data.get(name)
        if isinstance(field, forms.MultipleChoiceField):
            labels = dict(field.choices)
            shown = join_list(labels.get(v, v) for v in value or [])
        elif isinstance(field, forms.ChoiceField):
            shown = str(dict(field.choices).get(value, value or ""))
        elif value is None:
            shown = ""
        else:
            shown = str(value)
        rows.append((name, field.label, shown))
    return rows


class RoundForm(NamedInvalidMessages, forms.Form):
    """The operator opens a round (or changes its title and dates; the call stays)."""

    title = forms.CharField(
        label=_("調查名稱"),
        max_length=200,
        help_text=_("例：115年度產品化調查（第1次）"),
        error_messages={"required": _("請填寫調查名稱")},
    )
    title_en = forms.CharField(
        label=_("調查名稱（英文）"),
        max_length=200,
        required=False,
        help_text=_("英文頁面與英文通知使用；未填則顯示中文名稱"),
    )
    call = forms.ModelChoiceField(
        label=_("徵件"),
        queryset=Call.objects.none(),
        error_messages={"required": _("請選擇徵件")},
    )
    opens_on = forms.DateField(
        label=_("開放填報日"),
        help_text=_("涵蓋該徵件中使用期間於此日前已結束之全部核定案"),
        widget=DateInput(),
        error_messages={"required": _("請填寫開放填報日")},
    )
    due_on = forms.DateField(
        label=_("填報截止日"),
        widget=DateInput(),
        error_messages={"required": _("請填寫填報截止日")},
    )

    def __init__(self, *args, instance: Round | None = None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": instance.title,
                "title_en": instance.title_en,
                "call": instance.call_id,
                "opens_on": instance.opens_on,
                "due_on": instance.due_on,
            }
        super().__init__(*args, **kwargs)
        self.instance = instance
        self.fields["call"].queryset = Call.objects.order_by("-year")
        # The call's title in the page's language (an English title when one was entered).
        self.fields["call"].label_from_instance = lambda call: localized(call, "title")
        if instance is not None:
            self.fields["call"].disabled = True
