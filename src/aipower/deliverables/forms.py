"""Forms of the deliverables pages: a company hands in one item (file or link); the operator
records the product demo meeting."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aipower.core.form_messages import NamedInvalidMessages
from aipower.core.widgets import DateInput

from . import validators
from .enums import Item


class SubmissionForm(NamedInvalidMessages, forms.Form):
    """One item: an uploaded file or an https link, exactly one of them."""

    error_names = {"link": _("連結網址")}

    file = forms.FileField(label=_("上傳檔案"), required=False)
    link = forms.CharField(
        label=_("或填寫連結網址"),
        required=False,
        max_length=validators.MAX_LINK_LENGTH,
        widget=forms.URLInput(attrs={"inputmode": "url", "placeholder": "https://"}),
    )

    def __init__(self, *args, item, too_large=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = Item(item)
        # The request's body was over the limit and was not read (see views.submit).
        self.too_large = too_large
        extensions = validators.EXTENSIONS[self.item]
        limit = validators.max_bytes(self.item) / (1024 * 1024)
        self.fields["file"].widget.attrs["accept"] = ",".join(extensions)
        self.fields["file"].help_text = _("格式：%(formats)s；大小上限 %(limit)s MB") % {
            "formats": validators.allowed_label(self.item),
            "limit": f"{limit:g}",
        }
        self.fields["link"].help_text = (
            _("影片可提供 YouTube 等影音平台或雲端硬碟的分享連結（https://）")
            if self.item == Item.VIDEO
            else _("亦可提供雲端硬碟的分享連結（https://）")
        )

    def clean_file(self):
        if self.too_large:
            limit = validators.max_bytes(self.item) / (1024 * 1024)
            raise ValidationError(
                validators.MESSAGES["size"], code="size", params={"limit": f"{limit:g}"}
            )
        upload = self.cleaned_data.get("file")
        if upload:
            validators.validate_upload(upload, self.item)
        return upload

    def clean_link(self):
        link = (self.cleaned_data.get("link") or "").strip()
        return validators.normalise_link(link) if link else ""

    def clean(self):
        cleaned = super().clean()
        upload, link = cleaned.get("file"), cleaned.get("link")
        if self.errors:
            return cleaned
        if upload and link:
            self.add_error("link", ValidationError(validators.MESSAGES["both"], code="both"))
        elif not upload and not link:
            self.add_error(
                "file", ValidationError(validators.MESSAGES["choose_one"], code="choose_one")
            )
        return cleaned


class AttendanceForm(NamedInvalidMessages, forms.Form):
    """The product demo meeting (產品demo會議): attended or not, the date, a note."""

    attended = forms.TypedChoiceField(
        label=_("是否出席"),
        choices=[("yes", _("出席")), ("no", _("未出席"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("請選擇是否出席")},
    )
    meeting_on = forms.DateField(
        label=_("會議日期"),
        widget=DateInput(),
        error_messages={"required": _("請填寫會議日期")},
    )
    note = forms.CharField(
        label=_("備註"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, starts_on=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.starts_on = starts_on  # the award's period: no meeting before it

    def clean_meeting_on(self):
        """A meeting that took place: within the award's time, not in the future (a mistyped
        year such as 0026 would otherwise be stored and shown as 民國前)."""
        meeting_on = self.cleaned_data["meeting_on"]
        if self.starts_on is not None and meeting_on < self.starts_on:
            raise ValidationError(_("會議日期不可早於使用期間起日"), code="before_period")
        if meeting_on > timezone.localdate():
            raise ValidationError(_("會議日期不可晚於今天"), code="future")
        return meeting_on
