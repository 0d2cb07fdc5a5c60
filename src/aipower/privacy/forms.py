"""Forms of the personal-data pages: a company files a request; the operator records one a data
subject made by e-mail, phone, at the counter or in writing, moves requests along, corrects a
contact's fields, or decides on a deletion."""

import copy

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from aipower.accounts.models import Company
from aipower.applications.forms import ProfileForm
from aipower.core.form_messages import NamedInvalidMessages
from aipower.core.validators import normalize_ubn, ubn_error

from .enums import CONTACT_FIELDS, CONTACT_SLOTS, STAFF_CHANNELS, Kind, Person

OTHER = Person.OTHER


def _details_field():
    """請求內容說明, as the company's and the operator's forms both ask it."""
    return forms.CharField(
        label=_("請求內容說明"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("「補充或更正」請寫明要更正的欄位及正確內容"),
    )


def _require_correction_details(form, cleaned):
    """A 補充或更正 request must say what to correct."""
    if cleaned.get("kind") == Kind.CORRECT and not (cleaned.get("details") or "").strip():
        form.add_error("details", _("請寫明要補充或更正的欄位及正確內容"))


class RequestForm(NamedInvalidMessages, forms.Form):
    """The data subject is one of the contacts on file (name and e-mail taken from the
    profile) or, under 其他, someone whose name and e-mail are typed."""

    kind = forms.ChoiceField(
        label=_("請求事項"),
        choices=Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("請選擇請求事項")},
    )
    subject = forms.ChoiceField(
        label=_("當事人"),
        widget=forms.RadioSelect,
        error_messages={"required": _("請選擇當事人")},
    )
    requester_name = forms.CharField(
        label=_("當事人姓名"),
        required=False,
        max_length=200,
        help_text=_("當事人為「其他」時必填"),
    )
    requester_email = forms.EmailField(
        label=_("當事人電子信箱"),
        required=False,
        max_length=254,
        help_text=_("當事人為「其他」時必填；處理結果將寄至此信箱"),
    )
    details = _details_field()

    def __init__(self, *args, contacts, **kwargs):
        """``contacts``: {slot: (name, email)} of the contacts on file."""
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.contacts = contacts
        choices = [
            (
                slot,
                _("%(person)s：%(name)s（%(email)s）")
                % {"person": Person(slot).label, "name": name, "email": email},
            )
            for slot, (name, email) in contacts.items()
        ]
        choices.append((OTHER, _("其他（請填寫姓名及電子信箱）")))
        self.fields["subject"].choices = choices

    def clean(self):
        cleaned = super().clean()
        subject = cleaned.get("subject")
        if subject and subject != OTHER:
            name, email = self.contacts[subject]
            cleaned["requester_name"], cleaned["requester_email"] = name, email
        elif subject == OTHER:
            if not (cleaned.get("requester_name") or "").strip() and "requester_name" not in (
                self.errors
            ):
                self.add_error("requester_name", _("請填寫當事人姓名"))
            if not cleaned.get("requester_email") and "requester_email" not in self.errors:
                self.add_error("requester_email", _("請填寫當事人電子信箱"))
        _require_correction_details(self, cleaned)
        return cleaned


def _choose(choices):
    """A drop-down's choices with an empty first entry: the operator picks one on purpose."""
    return [("", _("請選擇")), *choices]


class StaffRequestForm(NamedInvalidMessages, forms.Form):
    """The operator records a data subject's request received by e-mail, phone, at the counter
    or in writing: the company by its 統一編號, the data subject typed, and how the operator
    checked who they are. ``cleaned_data["company"]`` is the ``Company``."""

    company = forms.CharField(
        label=_("申請企業"),
        max_length=20,
        help_text=_("請輸入申請企業之統一編號（8碼）"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": _("請填寫申請企業之統一編號")},
    )
    kind = forms.ChoiceField(
        label=_("請求事項"),
        choices=_choose(Kind.choices),
        error_messages={"required": _("請選擇請求事項")},
    )
    person = forms.ChoiceField(
        label=_("當事人身分"),
        choices=_choose(Person.choices),
        error_messages={"required": _("請選擇當事人身分")},
    )
    requester_name = forms.CharField(
        label=_("當事人姓名"),
        max_length=200,
        error_messages={"required": _("請填寫當事人姓名")},
    )
    requester_email = forms.EmailField(
        label=_("當事人電子信箱"),
        max_length=254,
        help_text=_("處理結果將寄至此信箱"),
        error_messages={"required": _("請填寫當事人電子信箱")},
    )
    details = _details_field()
    channel = forms.ChoiceField(
        label=pgettext_lazy("channel", "收件方式"),
        choices=_choose([(c.value, c.label) for c in STAFF_CHANNELS]),
        error_messages={"required": _("請選擇收件方式")},
    )
    identity_check = forms.CharField(
        label=_("身分查驗說明"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("請說明如何確認為當事人本人，例如「核對身分證明文件」；請勿填寫證件號碼"),
        error_messages={"required": _("請填寫身分查驗說明")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_company(self):
        ubn = normalize_ubn(self.cleaned_data["company"])  # full-width, spaces, hyphens
        if error := ubn_error(ubn):
            raise forms.ValidationError(error, code="invalid_ubn")
        company = Company.objects.filter(ubn=ubn).first()
        if company is None:
            raise forms.ValidationError(
                _("查無統一編號 %(ubn)s 之申請企業"), code="unknown", params={"ubn": ubn}
            )
        return company

    def clean_requester_name(self):
        name = self.cleaned_data["requester_name"].strip()
        if not name:
            raise forms.ValidationError(_("請填寫當事人姓名"), code="required")
        return name

    def clean_identity_check(self):
        return self.cleaned_data["identity_check"].strip()

    def clean(self):
        cleaned = super().clean()
        cleaned["details"] = (cleaned.get("details") or "").strip()
        _require_correction_details(self, cleaned)
        return cleaned


def contacts_on_file(held):
    """{slot: (name, email)} from ``services.held_data``: the newest application's contact
    that has both a name and an e-mail."""
    contacts = {}
    for row in held:
        for person in row["people"]:
            values = {name: value for name, _label, value in person["fields"]}
            slot = person["slot"]
            name = values.get(f"{slot}_name", "")
            email = values.get(f"{slot}_email", "")
            if slot not in contacts and name and email:
                contacts[slot] = (name, email)
    return {slot: contacts[slot] for slot in CONTACT_SLOTS if slot in contacts}


class TransitionForm(NamedInvalidMessages, forms.Form):
    note = forms.CharField(
        label=_("處理結果說明"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("不予受理時請寫明理由；完成時將寄送給當事人"),
    )


class CorrectionForm(NamedInvalidMessages, forms.Form):
    """The contact fields of one application's profile, with the profile form's own labels and
    format checks. A submitted application keeps the profile form's required fields."""

    error_names = ProfileForm.error_names

    def __init__(self, *args, submitted, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for name in CONTACT_FIELDS:
            field = copy.deepcopy(ProfileForm.base_fields[name])
            if not submitted:
                field.required = False
            self.fields[name] = field

    def values(self):
        return {name: self.cleaned_data.get(name) or "" for name in CONTACT_FIELDS}


class DeletionForm(NamedInvalidMessages, forms.Form):
    slots = forms.MultipleChoiceField(
        label=_("要刪除的聯絡人資料"),
        choices=[(slot, Person(slot).label) for slot in CONTACT_SLOTS],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("請選擇要刪除的聯絡人資料")},
    )
    note = forms.CharField(
        label=_("處理結果說明"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("請說明刪除的理由（計畫後續追蹤期間為3年）"),
        error_messages={"required": _("請填寫處理結果說明")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def initial_slots(data_request):
    if data_request.person in CONTACT_SLOTS:
        return [data_request.person]
    return []
