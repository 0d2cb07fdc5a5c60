"""The wizard's forms, one per page, with the exact labels of the programme document.

Every form takes ``app`` (the Application) and ``draft``. A draft form (each 「下一步」) is
lenient: nothing is required and cross-field rules that depend on completeness are skipped,
but formats are still checked. The full form (at submission, and for updates after it)
applies every rule. ``stored_values()`` gives what is saved: the cleaned value where the field
is valid, otherwise exactly what was typed, so nothing the user typed is lost.
"""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from aipower.calls.enums import CategoryKind, Offering, TextKey
from aipower.calls.services import models_for
from aipower.core.form_messages import (  # noqa: F401 - the wizard's names for them
    INVALID_MESSAGES,
    WholeNumberField,
    error_name,
    invalid_messages,
    name_invalid_values,
    whole_number_input,
)
from aipower.core.roc import format_roc_date
from aipower.core.widgets import DateInput

from . import options
from .texts import call_text
from .validators import (
    check_dataset,
    normalise_github_url,
    normalise_huggingface_url,
    normalise_landline,
    normalise_mobile,
    normalise_resolution,
    normalise_url_or_none,
    validate_exclusive,
    validate_other_text,
)

HINT_NONE = _('若沒有，則填寫"無"')
HINT_DISAGREE = _('若不同意，則填寫"無"')
HINT_ZERO = _("若無準備，可填寫為0")
HINT_CONTAINER = _('容器型環境，必填，若沒有，則填寫"無"')
HINT_LANDLINE = _("市話號碼 格式:區碼-號碼#分機(例: 02 12345678#123)")
HINT_MOBILE = _("手機號碼 格式:09xxxxxxxx")
HINT_MULTI = _("可複選")
LONG_TEXT_MAX = 3000
SHORT_TEXT_MAX = 200


class NormalisedField(forms.CharField):
    """A text field whose value is normalised by one of ``validators.normalise_*``."""

    def __init__(self, *, normaliser, **kwargs):
        kwargs.setdefault("max_length", SHORT_TEXT_MAX)
        super().__init__(**kwargs)
        self.normaliser = normaliser

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return ""
        return self.normaliser(value)


def text(label, help_text="", max_length=SHORT_TEXT_MAX, **kwargs):
    return forms.CharField(label=label, help_text=help_text, max_length=max_length, **kwargs)


def long_text(label, help_text="", example="", **kwargs):
    field = forms.CharField(
        label=label,
        help_text=help_text,
        max_length=LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        **kwargs,
    )
    field.example = example
    return field


def count(label, help_text=HINT_ZERO, **kwargs):
    return WholeNumberField(
        label=label,
        help_text=help_text,
        min_value=0,
        max_value=10**15,
        widget=whole_number_input(),
        **kwargs,
    )


def multi(label, choices, help_text=HINT_MULTI, exclusive=None, **kwargs):
    attrs = {"data-exclusive": exclusive} if exclusive else {}
    field = forms.MultipleChoiceField(
        label=label,
        choices=choices,
        help_text=help_text,
        widget=forms.CheckboxSelectMultiple(attrs=attrs),
        **kwargs,
    )
    field.exclusive = exclusive
    return field


def single(label, choices, help_text="", **kwargs):
    return forms.ChoiceField(
        label=label, choices=choices, help_text=help_text, widget=forms.RadioSelect, **kwargs
    )


def other_text(label, of):
    return text(label, required=False, widget=forms.TextInput(attrs={"data-other-of": of}))


def amount_ntd(label, help_text="", **kwargs):
    """An amount in NT$ (元): typed as digits, read back as 「新臺幣 25,000,000 元」."""
    kwargs.setdefault("widget", whole_number_input())
    field = WholeNumberField(
        label=label, help_text=help_text, min_value=0, max_value=10**15, **kwargs
    )
    field.amount_ntd = True
    return field


def agree(label, **kwargs):
    return forms.BooleanField(label=label, **kwargs)


URL_MAX = 500


def url_field(label, help_text, normaliser, **kwargs):
    """A download or repository address, or 無 (``normaliser`` decides which hosts)."""
    return NormalisedField(
        label=label, help_text=help_text, normaliser=normaliser, max_length=URL_MAX, **kwargs
    )


class StepForm(forms.Form):
    """A wizard page. ``section`` is the key of ``Application.data`` it writes to."""

    section = ""
    # (heading, intro, field names) — how the page is laid out; ``None`` heading: no heading.
    fieldsets: list = []
    # (multi field, its 其他 value, its text field)
    others: list = []
    # The name a field's messages give it where its label is a question or an instruction
    # (「如勾選其他，請輸入產業領域：」); other fields are named by their label.
    error_names: dict = {}

    def __init__(self, *args, app, draft=False, **kwargs):
        self.app = app
        self.draft = draft
        self.warnings = []
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.setup()
        # The page's layout decides the order of the fields everywhere (the read-back of the
        # printable view, the staff page and the PDF iterate the form): a subclass's fields
        # would otherwise follow all of its base class's, whatever the page shows.
        self.order_fields(self.layout_names())
        for field in self.fields.values():
            # An answer longer than its limit (often pasted) is refused with a message that
            # says the limit, and kept as typed: the browser's maxlength would cut it silently.
            field.widget.attrs.pop("maxlength", None)
        # A value typed but not valid is refused naming the field (core.form_messages).
        name_invalid_values(self)
        if draft:
            for field in self.fields.values():
                field.required = False

    def setup(self):
        """Per-application choices and labels (models from the catalogue, company name...)."""

    def clean(self):
        cleaned = super().clean()
        for name, field in self.fields.items():
            exclusive = getattr(field, "exclusive", None)
            if exclusive and name in cleaned:
                label = dict(field.choices).get(exclusive, exclusive)
                try:
                    validate_exclusive(cleaned[name], exclusive, label)
                except ValidationError as error:
                    self.add_error(name, error)
        if not self.draft:
            for multi_name, other_value, text_name in self.others:
                if multi_name in cleaned and text_name in self.fields:
                    try:
                        validate_other_text(
                            cleaned[multi_name], other_value, cleaned.get(text_name)
                        )
                    except ValidationError as error:
                        self.add_error(text_name, error)
        return cleaned

    def layout_names(self):
        """The field names in the order the page lays them out (its fieldsets); fields the
        page shows after them (e.g. the 個資同意 checkbox) follow in declaration order."""
        return [name for _heading, _intro, names in self.fieldsets for name in names]

    def get_fieldsets(self):
        if self.fieldsets:
            for heading, intro, names in self.fieldsets:
                yield {
                    "heading": heading,
                    "intro": intro,
                    "fields": [self[name] for name in names if name in self.fields],
                }
        else:
            yield {"heading": None, "intro": "", "fields": [self[name] for name in self.fields]}

    def editable_names(self):
        return [name for name, field in self.fields.items() if not field.disabled]

    def stored_values(self):
        """What to save: cleaned values where valid, what was typed where not."""
        values = {}
        for name in self.editable_names():
            field = self.fields[name]
            if name in self.errors or name not in self.cleaned_data:
                if isinstance(field, forms.MultipleChoiceField):
                    values[name] = self.data.getlist(self.add_prefix(name))
                elif isinstance(field, forms.BooleanField):
                    values[name] = bool(self.data.get(self.add_prefix(name)))
                else:
                    values[name] = self.data.get(self.add_prefix(name), "")
                continue
            value = self.cleaned_data[name]
            if isinstance(value, datetime.date):
                value = value.isoformat()
            values[name] = value
        return values

    @classmethod
    def data_from_stored(cls, stored):
        """Turn saved values back into form data, to validate a saved page in full."""
        data = MultiValueDict()
        for name, value in (stored or {}).items():
            if value is None:
                continue
            if isinstance(value, list):
                data.setlist(name, [str(item) for item in value])
            elif isinstance(value, bool):
                if value:
                    data[name] = "on"
            else:
                data[name] = str(value)
        return data


# -- 請選擇申請類別 -------------------------------------------------------------------------


class CategoryForm(StepForm):
    section = "category"
    category = single(
        _("請選擇申請類別"),
        CategoryKind.choices,
        help_text=_("*請注意，完成「送出」動作後，則不可更動申請類別。"),
        error_messages={"required": _("請選擇申請類別")},
    )
    error_names = {"category": _("申請類別")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A category is needed to know which pages follow, even for a draft.
        self.fields["category"].required = True


# -- 申請注意事項及使用規範 -------------------------------------------------------------------


class TermsForm(StepForm):
    """No input: the page is complete once it was read (「詳閱後請按下一步」)."""

    section = "terms"


# -- 企業基本資料表 + 個資同意書 ---------------------------------------------------------------


# 民國元年 (1912-01-01): no company registered in the Republic before it.
FOUNDED_EARLIEST = datetime.date(1912, 1, 1)


class ProfileForm(StepForm):
    section = "profile"

    company_name = text(_("企業名稱"), disabled=True, required=False)
    ubn = text(_("統一編號"), disabled=True, required=False)
    founded_on = forms.DateField(
        label=_("設立登記日期"),
        widget=DateInput(),
        error_messages={"required": _("請填寫設立登記日期")},
    )
    paid_in_capital = amount_ntd(
        _("實收資本額"),
        help_text=_("新臺幣（元）"),
        error_messages={"required": _("請填寫實收資本額")},
    )
    representative = text(_("代表人"), error_messages={"required": _("請填寫代表人")})
    employees = WholeNumberField(
        label=_("員工數"),
        min_value=0,
        max_value=10**7,
        widget=whole_number_input(),
        error_messages={"required": _("請填寫員工數")},
    )
    address = text(_("通訊地址"), error_messages={"required": _("請填寫通訊地址")})
    pi_name = text(_("專案主持人姓名"), error_messages={"required": _("請填寫專案主持人姓名")})
    pi_title = text(_("專案主持人職稱"), error_messages={"required": _("請填寫專案主持人職稱")})
    pi_phone = NormalisedField(
        label=_("專案主持人連絡電話(公司)市話"),
        help_text=HINT_LANDLINE,
        normaliser=normalise_landline,
        error_messages={"required": _("請填寫專案主持人連絡電話(公司)市話")},
    )
    pi_email = forms.EmailField(
        label=_("專案主持人電子信箱"), error_messages={"required": _("請填寫專案主持人電子信箱")}
    )
    # The contact is most often the person filling in the form: the browser may offer their own
    # details (autocomplete, WCAG 1.3.5); the other people's fields stay without.
    contact_name = text(
        _("專案聯絡人姓名"),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("請填寫專案聯絡人姓名")},
    )
    contact_title = text(
        _("專案聯絡人職稱"),
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
        error_messages={"required": _("請填寫專案聯絡人職稱")},
    )
    contact_phone = NormalisedField(
        label=_("專案聯絡人連絡電話(公司)市話"),
        help_text=HINT_LANDLINE,
        normaliser=normalise_landline,
        widget=forms.TextInput(attrs={"autocomplete": "work tel"}),
        error_messages={"required": _("請填寫專案聯絡人連絡電話(公司)市話")},
    )
    contact_email = forms.EmailField(
        label=_("專案聯絡人電子信箱"),
        widget=forms.EmailInput(attrs={"autocomplete": "work email"}),
        error_messages={"required": _("請填寫專案聯絡人電子信箱")},
    )
    contact_mobile = NormalisedField(
        label=_("專案聯絡人行動電話"),
        help_text=_("手機號碼 格式:09xxxxxxxx（專案聯絡人資訊重要請務必填寫正確）"),
        normaliser=normalise_mobile,
        widget=forms.TextInput(attrs={"autocomplete": "mobile tel"}),
        error_messages={"required": _("請填寫專案聯絡人行動電話")},
    )
    contact2_name = text(
        _("專案聯絡人(2)姓名"),
        required=False,
        help_text=_(
            "選填；填寫專案聯絡人(2)任一欄位時，姓名、一個聯絡電話（市話或行動電話）"
            "及電子信箱為必填"
        ),
    )
    contact2_title = text(_("專案聯絡人(2)職稱"), required=False)
    contact2_phone = NormalisedField(
        label=_("專案聯絡人(2)連絡電話(公司)市話"),
        help_text=HINT_LANDLINE,
        normaliser=normalise_landline,
        required=False,
    )
    contact2_mobile = NormalisedField(
        label=_("專案聯絡人(2)行動電話"),
        help_text=HINT_MOBILE,
        normaliser=normalise_mobile,
        required=False,
    )
    contact2_email = forms.EmailField(label=_("專案聯絡人(2)電子信箱"), required=False)
    industries = multi(
        _("行業分類"),
        [],
        help_text=_("請勾選, 可複選"),
        error_messages={"required": _("請勾選行業分類")},
    )
    company_intro = long_text(
        _("公司簡介"),
        help_text=_("1.營業項目; 2.主要產品或服務; 3.產品或服務主要銷售區域"),
        error_messages={"required": _("請填寫公司簡介")},
    )
    consent = agree(_("個資同意"), error_messages={"required": _("請勾選個資同意")})

    CONTACT2 = ("contact2_name", "contact2_title", "contact2_phone", "contact2_mobile")

    fieldsets = [
        (
            None,
            _("1.依照公司狀況詳細填寫企業基本資料 2.專案聯絡人資訊重要請務必填寫正確"),
            [
                "company_name",
                "ubn",
                "founded_on",
                "paid_in_capital",
                "representative",
                "employees",
                "address",
                "pi_name",
                "pi_title",
                "pi_phone",
                "pi_email",
                "contact_name",
                "contact_title",
                "contact_phone",
                "contact_email",
                "contact_mobile",
                "contact2_name",
                "contact2_title",
                "contact2_phone",
                "contact2_mobile",
                "contact2_email",
                "industries",
                "company_intro",
            ],
        ),
    ]

    def setup(self):
        company = self.app.company
        self.fields["company_name"].initial = company.name
        self.fields["ubn"].initial = company.ubn
        industries = self.app.call.industries or []
        english = translation.get_language() == "en"
        self.fields["industries"].choices = [
            (
                entry["code"],
                f"{entry['code']} ({entry['name_en']})"
                if english and entry.get("name_en")
                else f"{entry['code']}({entry.get('name_zh', '')})",
            )
            for entry in industries
        ] or options.INDUSTRY_CODES
        self.fields["consent"].label = call_text(
            self.app.call, TextKey.PERSONAL_DATA_CONSENT, options.DEFAULT_CONSENT
        )
        day = self.founded_on_shown()
        if day is not None:
            self.fields["founded_on"].help_text = _("民國 %(date)s") % {
                "date": format_roc_date(day)
            }

    def founded_on_shown(self):
        """The 設立登記日期 the page shows — what was typed when the page is shown again
        (errors elsewhere), else the saved or registry date — when it is a date, else None."""
        field = self.fields["founded_on"]
        if self.is_bound:
            value = field.widget.value_from_datadict(
                self.data, self.files, self.add_prefix("founded_on")
            )
        else:
            value = self.initial.get("founded_on")
        if not isinstance(value, datetime.date):
            try:
                value = field.to_python(value)
            except ValidationError:
                return None
        return value if value is not None and value >= FOUNDED_EARLIEST else None

    def clean_founded_on(self):
        """A founding date in the Republic's years: 民國 108 typed as the year 108 is refused
        with the conversion to make, not kept as the year 108 (it would decide the start-up
        priority); the tax data's dates start at 民國元年 too. Not after today."""
        day = self.cleaned_data.get("founded_on")
        if day is None:
            return day
        if day < FOUNDED_EARLIEST:
            raise ValidationError(
                _("設立登記日期請以西元年填寫（例如民國 108 年請填 2019 年）"), code="roc_year"
            )
        if day > timezone.localdate():
            raise ValidationError(_("設立登記日期不可晚於今天"), code="future")
        return day

    def clean(self):
        cleaned = super().clean()
        if not self.draft:
            group = [*self.CONTACT2, "contact2_email"]
            if any(cleaned.get(name) for name in group):
                for name in ("contact2_name", "contact2_email"):
                    if name not in self.errors and not cleaned.get(name):
                        self.add_error(name, _("已填寫專案聯絡人(2)，此欄為必填"))
                if not any(
                    cleaned.get(name) or name in self.errors
                    for name in ("contact2_phone", "contact2_mobile")
                ):
                    self.add_error(
                        "contact2_phone", _("已填寫專案聯絡人(2)，請至少填寫一個聯絡電話")
                    )
        return cleaned


# -- 算力使用者聲明及同意事項 --------------------------------------------------------------------


class DeclarationForm(StepForm):
    section = "declaration"
    agreed = agree(
        _("聲明人已明確了解上述所有聲明與授權內容，並且同意遵守之。"),
        error_messages={"required": _("請勾選同意算力使用者聲明及同意事項")},
    )

    def setup(self):
        self.fields["agreed"].label = call_text(
            self.app.call, TextKey.DECLARATION_AGREE, options.DEFAULT_DECLARATION_AGREE
        )


# -- Category forms ----------------------------------------------------------------------------


def catalogue_choices(call, offering):
    """The catalogue's models for an offering: enabled, not prohibited, in catalogue order."""
    return [(model.display_name, model.display_name) for model in models_for(call, offering)]


class CatalogueChoices:
    """A page choosing models from the catalogue. A model the application chose that the
    operator has since taken off the catalogue stays on the page, checked and marked
    已停止提供, and keeping it is refused with a message that names it: without it the choice
    would vanish from the page, and saving the page would drop it unsaid."""

    def offer(self, name, choices, *, extra=()):
        """``choices`` for field ``name``, with this form's retired choices after them (and
        ``extra``, e.g. 無使用需求, last)."""
        offered = {value for value, _label in [*choices, *extra]}
        retired = [value for value in self._chosen(name) if value and value not in offered]
        self.retired = {**getattr(self, "retired", {}), name: retired}
        marked = [(value, _("%(name)s（已停止提供）") % {"name": value}) for value in retired]
        self.fields[name].choices = [*choices, *marked, *extra]

    def _chosen(self, name):
        if self.is_bound:
            getlist = getattr(self.data, "getlist", None)
            values = getlist(self.add_prefix(name)) if getlist else self.data.get(name)
        else:
            values = self.initial.get(name)
        if isinstance(values, str):
            values = [values]
        return [str(value) for value in values or ()]

    def refuse_retired(self, cleaned):
        for name, retired in getattr(self, "retired", {}).items():
            for value in cleaned.get(name) or ():
                if value in retired:
                    self.add_error(
                        name,
                        _("「%(name)s」已不在模型清單中（已停止提供），請取消勾選並改選其他模型。")
                        % {"name": value},
                    )


class ProjectForm(StepForm):
    """Sections 1–3 (training) or 1–3 (inference)."""

    topic = text(
        _("專案主題"),
        help_text=_("專案主題建議：以明確、好懂、切入重點為主，長度不宜過長"),
        max_length=60,
        error_messages={"required": _("請填寫專案主題")},
    )
    domains = multi(
        _("推動使用產業領域"),
        options.DOMAINS,
        help_text=_("請勾選產業領域別（可複選）"),
        error_messages={"required": _("請勾選推動使用產業領域")},
    )
    domains_other = other_text(_("如勾選其他，請輸入產業領域："), "domains")
    others = [("domains", options.OTHER, "domains_other")]
    error_names = {"domains_other": _("其他產業領域")}


class TrainingProjectForm(CatalogueChoices, ProjectForm):
    section = "training"
    container_model_name = text(
        _("A-1 上傳模型名稱："),
        help_text=HINT_CONTAINER,
        error_messages={"required": _('請填寫上傳模型名稱，若沒有，則填寫"無"')},
    )
    container_model_version = text(
        _("A-2 版本："),
        help_text=HINT_CONTAINER,
        error_messages={"required": _('請填寫版本，若沒有，則填寫"無"')},
    )
    container_download_url = url_field(
        _("A-3 下載連結："),
        HINT_CONTAINER,
        normalise_url_or_none,
        error_messages={"required": _('請填寫下載連結，若沒有，則填寫"無"')},
    )
    container_base_model = text(
        _("A-4 基礎模型名稱"),
        help_text=_(
            "若上傳模型是已先採用蒸餾或訓練等方式調教過的，請在此註明所採用的原始模型為何，"
            '若沒有，則填寫"無"'
        ),
        error_messages={"required": _('請填寫基礎模型名稱，若沒有，則填寫"無"')},
    )
    no_code_models = multi(
        _("B. No-Code訓練平台環境"),
        [],
        help_text=_(
            "預計可選用開源模型如下，主辦單位保有最終上架之模型決定權，並保有最終解釋權。(可複選)"
        ),
        exclusive=options.NO_NEED,
        error_messages={"required": _("請勾選No-Code訓練平台環境之模型，或勾選「無使用需求」")},
    )
    validation_models = multi(
        _("C. 模型驗證環境"),
        [],
        help_text=_(
            "預計可串接開源模型，主辦單位保有最終上架之模型決定權，並保有最終解釋權。(可複選)"
        ),
        exclusive=options.NO_NEED,
        error_messages={"required": _("請勾選模型驗證環境之模型，或勾選「無使用需求」")},
    )
    fieldsets = [
        (_("1. 專案主題"), "", ["topic"]),
        (_("2. 推動使用產業領域"), "", ["domains", "domains_other"]),
        (
            _("3. 使用模型及資源需求"),
            _("入選業者可使用環境類型如下："),
            [],
        ),
        (
            _("A. 容器型環境"),
            _("本平台將依據審議結果，擇優選擇合適申請企業核定算力使用資源"),
            [
                "container_model_name",
                "container_model_version",
                "container_download_url",
                "container_base_model",
            ],
        ),
        (None, "", ["no_code_models", "validation_models"]),
    ]

    def setup(self):
        no_need = [(options.NO_NEED, _("無使用需求"))]
        self.offer(
            "no_code_models", catalogue_choices(self.app.call, Offering.NO_CODE), extra=no_need
        )
        self.offer(
            "validation_models",
            catalogue_choices(self.app.call, Offering.VALIDATION),
            extra=no_need,
        )

    def clean(self):
        cleaned = super().clean()
        self.refuse_retired(cleaned)
        return cleaned


class InferenceProjectForm(CatalogueChoices, ProjectForm):
    section = "inference"
    inference_models = multi(
        _("使用模型需求"),
        [],
        help_text=_(
            "預計可串接模型清單如下 (複選題)，主辦單位保有最終上架之模型決定權，並保有最終解釋權"
        ),
        error_messages={"required": _("請勾選使用模型需求")},
    )
    fieldsets = [
        (_("1. 專案主題"), "", ["topic"]),
        (_("2. 推動使用產業領域"), "", ["domains", "domains_other"]),
        (_("3. 使用模型需求"), "", ["inference_models"]),
    ]

    def setup(self):
        self.offer("inference_models", catalogue_choices(self.app.call, Offering.INFERENCE))

    def clean(self):
        cleaned = super().clean()
        self.refuse_retired(cleaned)
        return cleaned


class TrainingImportanceForm(StepForm):
    section = "training"
    importance = long_text(
        _("專案重要性"),
        help_text=_(
            "請說明應用情境、對產業的重要性、對社會的影響力及公益性等，"
            "內容包括「需解決的問題」以及「預計選用的大語言模型原因」"
        ),
        example=options.EXAMPLE_IMPORTANCE,
        error_messages={"required": _("請填寫專案重要性")},
    )
    opportunity = long_text(
        _("產業應用機會"),
        help_text=_("請說明可能拓展之產業與應用（如：於特定領域發展AI助理服務）"),
        example=options.EXAMPLE_OPPORTUNITY,
        error_messages={"required": _("請填寫產業應用機會")},
    )
    text_tokens = count(
        _("文字（tokens）"),
        error_messages={"required": _("請填寫文字（tokens），若無準備，可填寫為0")},
    )
    speech_hours = count(
        _("語音（小時）"), error_messages={"required": _("請填寫語音（小時），若無準備，可填寫為0")}
    )
    video_hours = count(
        _("影片（小時）"), error_messages={"required": _("請填寫影片（小時），若無準備，可填寫為0")}
    )
    video_resolution = NormalisedField(
        label=_("影片平均像素大小（長x寬）"),
        help_text=_("例如3840x2160 若無準備，可填寫為0"),
        normaliser=normalise_resolution,
        error_messages={"required": _("請填寫影片平均像素大小（長x寬），若無準備，可填寫為0")},
    )
    image_count = count(
        _("圖片（張）"), error_messages={"required": _("請填寫圖片（張），若無準備，可填寫為0")}
    )
    image_resolution = NormalisedField(
        label=_("圖片平均像素大小（長x寬）"),
        help_text=_("例如1024x768 若無準備，可填寫為0"),
        normaliser=normalise_resolution,
        error_messages={"required": _("請填寫圖片平均像素大小（長x寬），若無準備，可填寫為0")},
    )
    dataset_description = long_text(
        _("資料集主要內容描述"),
        help_text=_('如金融詢問題目、金融法規資料等，若沒有，則填寫"無"'),
        example=options.EXAMPLE_DATASET,
        error_messages={"required": _('請填寫資料集主要內容描述，若沒有，則填寫"無"')},
    )
    fieldsets = [
        (_("4. 專案重要性"), "", ["importance"]),
        (_("5. 產業應用機會"), "", ["opportunity"]),
        (
            _("6. 訓練資料集"),
            _("訓練資料集型態"),
            [
                "text_tokens",
                "speech_hours",
                "video_hours",
                "video_resolution",
                "image_count",
                "image_resolution",
                "dataset_description",
            ],
        ),
    ]

    def clean(self):
        cleaned = super().clean()
        dataset = {
            "text_tokens": cleaned.get("text_tokens"),
            "speech_hours": cleaned.get("speech_hours"),
            "video_hours": cleaned.get("video_hours"),
            "video_resolution": cleaned.get("video_resolution"),
            "image_count": cleaned.get("image_count"),
            "image_resolution": cleaned.get("image_resolution"),
            "description": cleaned.get("dataset_description"),
        }
        errors, self.warnings = check_dataset(dataset)
        if not self.draft:
            for name, error in errors.items():
                self.add_error(name, error)
        return cleaned


class InferenceImportanceForm(StepForm):
    section = "inference"
    importance = long_text(
        _("專案重要性"),
        help_text=_(
            "請說明應用情境如場域應用之預期成效表現、對產業的重要性、對社會的影響力及公益性等，"
            "內容包括「需解決的問題」以及「預計選用的訓練模型原因」"
        ),
        example=options.EXAMPLE_IMPORTANCE,
        error_messages={"required": _("請填寫專案重要性")},
    )
    opportunity = long_text(
        _("產業應用機會"),
        help_text=_("針對AI應用服務成果說明如何推廣及跨產業應用的做法"),
        example=options.EXAMPLE_OPPORTUNITY,
        error_messages={"required": _("請填寫產業應用機會")},
    )
    scenario = long_text(
        _("應用情境說明"),
        help_text=_("說明預期其模型推論之應用情境的成效表現。"),
        error_messages={"required": _("請填寫應用情境說明")},
    )
    fieldsets = [
        (_("4. 專案重要性"), "", ["importance"]),
        (_("5. 產業應用機會"), "", ["opportunity"]),
        (_("6. 應用情境說明"), "", ["scenario"]),
    ]


BONUS_FIELDS = [
    "mou_url",
    "product_material_url",
    "dataset_huggingface_url",
    "dataset_github_url",
    "model_huggingface_url",
    "model_github_url",
]
REGISTRATION_FIELDS = [
    "registration_payment",
    "registration_esignature",
    "registration_data_economy",
    "registration_ai",
    "registration_it_services",
    "registration_security",
]


class BenefitForm(StepForm):
    """Section 7: expected benefits, bonus items and capability registrations."""

    error_names = {
        "mou_url": _("加值型提案之檔案下載網址"),
        "product_material_url": _("加分型資料之檔案下載網址"),
        "dataset_huggingface_url": _("數據集上架 Hugging Face 之預設網址"),
        "dataset_github_url": _("數據集上架 GitHub 之預設網址"),
        "model_huggingface_url": _("模型上架 Hugging Face 之預設網址"),
        "model_github_url": _("模型上架 GitHub 之預設網址"),
    }

    deliverables_agree = agree(
        _("同意"), error_messages={"required": _("請勾選同意提供結案報告、成果簡報及產品demo影片")}
    )
    mou_url = url_field(
        _("1. 加值型提案：提供落地場域之雙方合作備忘錄影本者。提供檔案下載網址："),
        HINT_NONE,
        normalise_url_or_none,
        error_messages={"required": _('請填寫加值型提案之檔案下載網址，若沒有，則填寫"無"')},
    )
    product_material_url = url_field(
        _("2. 加分型資料：提供本專案主題已具備產品化之介紹簡報或資料者。提供檔案下載網址："),
        HINT_NONE,
        normalise_url_or_none,
        error_messages={"required": _('請填寫加分型資料之檔案下載網址，若沒有，則填寫"無"')},
    )
    dataset_huggingface_url = url_field(
        _("3.1 Hugging Face，請輸入預設網址："),
        HINT_DISAGREE,
        normalise_huggingface_url,
        error_messages={
            "required": _('請填寫數據集上架 Hugging Face 之預設網址，若不同意，則填寫"無"')
        },
    )
    dataset_github_url = url_field(
        _("3.2 GitHub，請輸入預設網址："),
        HINT_DISAGREE,
        normalise_github_url,
        error_messages={"required": _('請填寫數據集上架 GitHub 之預設網址，若不同意，則填寫"無"')},
    )
    model_huggingface_url = url_field(
        _("4.1 Hugging Face，請輸入預設網址："),
        HINT_DISAGREE,
        normalise_huggingface_url,
        error_messages={
            "required": _('請填寫模型上架 Hugging Face 之預設網址，若不同意，則填寫"無"')
        },
    )
    model_github_url = url_field(
        _("4.2 GitHub，請輸入預設網址："),
        HINT_DISAGREE,
        normalise_github_url,
        error_messages={"required": _('請填寫模型上架 GitHub 之預設網址，若不同意，則填寫"無"')},
    )
    registration_payment = text(
        _("5.1 提供第三方支付服務之事業或人員洗錢防制及服務能量登錄，通過編號："),
        help_text=HINT_NONE,
        error_messages={
            "required": _(
                '請填寫提供第三方支付服務之事業或人員洗錢防制及服務能量登錄通過編號，若沒有，則填寫"無"'
            )
        },
    )
    registration_esignature = text(
        _("5.2 電子簽章解決方案服務能量登錄，通過編號："),
        help_text=HINT_NONE,
        error_messages={
            "required": _('請填寫電子簽章解決方案服務能量登錄通過編號，若沒有，則填寫"無"')
        },
    )
    registration_data_economy = text(
        _("5.3 資料經濟服務機構能量登錄，通過編號："),
        help_text=HINT_NONE,
        error_messages={
            "required": _('請填寫資料經濟服務機構能量登錄通過編號，若沒有，則填寫"無"')
        },
    )
    registration_ai = text(
        _("5.4 人工智慧技術服務機構能量登錄，證書編號："),
        help_text=HINT_NONE,
        error_messages={
            "required": _('請填寫人工智慧技術服務機構能量登錄證書編號，若沒有，則填寫"無"')
        },
    )

    def bonus_fieldsets(self):
        return [
            (
                _("● 加分項目"),
                _(
                    "加值型提案 / 加分型資料：請提供「檔案」的下載網址，"
                    "如連結失效或無法開啟則無法進行加分"
                ),
                ["mou_url", "product_material_url"],
            ),
            (
                _("3. 同意將數據集上架開源平台"),
                "",
                ["dataset_huggingface_url", "dataset_github_url"],
            ),
            (
                _("4. 同意將模型上架開源平台"),
                _("加分項目同意提供者，於算力平台使用期結束後未上架者，則列入觀察名單"),
                ["model_huggingface_url", "model_github_url"],
            ),
            (
                _("5. 通過以下能量登錄者"),
                _("可至數位發展部數位產業署官網進行編號查詢"),
                REGISTRATION_FIELDS,
            ),
        ]


class TrainingBenefitForm(BenefitForm):
    section = "training"
    expected_models = count(
        _("1. 預計產出模型（項）"),
        help_text="",
        error_messages={"required": _("請填寫預計產出模型（項）")},
    )
    expected_applications = count(
        _("2. 預計產出應用（項）"),
        help_text="",
        error_messages={"required": _("請填寫預計產出應用（項）")},
    )
    registration_it_services = text(
        _("5.5 資訊服務機構服務能量登錄，證號："),
        help_text=HINT_NONE,
        error_messages={"required": _('請填寫資訊服務機構服務能量登錄證號，若沒有，則填寫"無"')},
    )
    registration_security = single(
        _("5.6 資訊安全服務機構能量登錄"),
        options.YES_NO,
        error_messages={"required": _("請選擇資訊安全服務機構能量登錄")},
    )

    def setup(self):
        self.fields["deliverables_agree"].label = _(
            "3. 本公司同意提供結案報告乙式、成果簡報乙式及產品demo影片乙式，並於平台使用到期日後"
            "%(days)s個日曆天提交，另須配合出席本案執行單位辦理之產品demo會議。"
        ) % {"days": self.app.call.deliverables_days}
        self.fieldsets = [
            (
                _("7. 預期效益合理性"),
                _("預計產出物與衍生的產業效益與社會效益及影響力"),
                [],
            ),
            (
                _("● 量化效益"),
                "",
                ["expected_models", "expected_applications", "deliverables_agree"],
            ),
            *self.bonus_fieldsets(),
        ]


class InferenceBenefitForm(BenefitForm):
    section = "inference"
    expected_applications = count(
        _("1. 產出應用（項）"), help_text="", error_messages={"required": _("請填寫產出應用（項）")}
    )
    registration_it_services = text(
        _("5.5 資訊服務機構服務能量登錄，證書編號："),
        help_text=HINT_NONE,
        error_messages={
            "required": _('請填寫資訊服務機構服務能量登錄證書編號，若沒有，則填寫"無"')
        },
    )
    registration_security = single(
        _("5.6 資訊安全服務機構能量登錄"),
        options.HAVE_NOT,
        error_messages={"required": _("請選擇資訊安全服務機構能量登錄")},
    )

    def setup(self):
        self.fields["deliverables_agree"].label = _(
            "2. 本公司同意提供結案報告乙式、成果簡報乙式及產品demo影片乙式，並於平台使用到期日後"
            "%(days)s個日曆天提交"
        ) % {"days": self.app.call.deliverables_days}
        self.fieldsets = [
            (
                _("7. 預期效益合理性"),
                _("預計產出物與衍生的產業效益與社會效益及影響力"),
                [],
            ),
            (_("● 量化效益"), "", ["expected_applications", "deliverables_agree"]),
            *self.bonus_fieldsets(),
        ]


class ProductForm(StepForm):
    """Sections 8 (productisation) and 9 (other needs)."""

    customers = multi(
        _("8.1 主要目標客戶"),
        options.CUSTOMERS,
        error_messages={"required": _("請勾選主要目標客戶")},
    )
    progress = multi(
        _("8.2 產品化進度"),
        options.PROGRESS,
        exclusive=options.IN_DEVELOPMENT,
        error_messages={"required": _("請勾選產品化進度")},
    )
    product_forms = multi(
        _("8.3 產品形式"), options.PRODUCT_FORMS, error_messages={"required": _("請勾選產品形式")}
    )
    product_forms_other = other_text(_("8.3.1 產品形式如勾選其他，請補充："), "product_forms")
    pricing_units = multi(
        _("8.4 計價單位"), options.PRICING_UNITS, error_messages={"required": _("請勾選計價單位")}
    )
    pricing_units_other = other_text(_("8.4.1 計價單位如勾選其他，請補充："), "pricing_units")
    pricing_period = single(
        _("8.5 計價時間"), options.PRICING_PERIODS, error_messages={"required": _("請選擇計價時間")}
    )
    pricing_period_other = other_text(_("8.5.1 計價時間如勾選其他，請補充："), "pricing_period")
    other_needs = text(
        _("其他需求"),
        help_text=HINT_NONE,
        max_length=1000,
        error_messages={"required": _('請填寫其他需求，若沒有，則填寫"無"')},
    )
    others = [
        ("product_forms", options.OTHER, "product_forms_other"),
        ("pricing_units", options.OTHER, "pricing_units_other"),
        ("pricing_period", options.OTHER, "pricing_period_other"),
    ]
    error_names = {
        "product_forms_other": _("其他產品形式"),
        "pricing_units_other": _("其他計價單位"),
        "pricing_period_other": _("其他計價時間"),
    }
    fieldsets = [
        (
            _("8. 預計產品化階段說明"),
            _("說明訓練成效預計產品化的規劃與進度"),
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
        (_("9. 其他需求"), "", ["other_needs"]),
    ]


class TrainingProductForm(ProductForm):
    section = "training"


class InferenceProductForm(ProductForm):
    section = "inference"


# -- 切結書 ---------------------------------------------------------------------------------


class PledgeForm(StepForm):
    section = "pledge"
    understood = agree(
        _("本公司已明確了解上述所有切結內容，並且同意遵守所有規定"),
        error_messages={"required": _("請勾選同意切結書內容")},
    )
    category_confirmed = agree(
        _("本公司已確認申請「模型訓練類」算力資源，以下「送出」後即完成申請，不得變更申請類別"),
        error_messages={"required": _("請勾選確認申請類別")},
    )

    def setup(self):
        self.fields["understood"].label = call_text(
            self.app.call, TextKey.PLEDGE_AGREE, options.DEFAULT_PLEDGE_AGREE
        )
        category = CategoryKind(self.app.category).label if self.app.category else ""
        self.fields["category_confirmed"].label = _(
            "本公司已確認申請「%(category)s」算力資源，以下「送出」後即完成申請，不得變更申請類別"
        ) % {"category": category}
