"""The staff's upload of the tax-registration data set (``uploads``)."""

from pathlib import Path

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from aipower.core.form_messages import NamedInvalidMessages

from .uploads import EXTENSIONS


class UploadForm(NamedInvalidMessages, forms.Form):
    file = forms.FileField(
        label=_("稅籍登記資料檔"),
        help_text=_(
            "財政部「全國營業(稅籍)登記資料集」之 BGMOPEN1.csv，或內含該檔之 .zip。"
            "新資料完整匯入後才取代使用中的資料；匯入失敗時，使用中的資料不受影響。"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
        error_messages={
            "required": _("請選擇要上傳的檔案。"),
            "empty": _("稅籍登記資料檔是空的（0 位元組），請重新選擇。"),
        },
    )
    skip_bad_rows = forms.BooleanField(
        label=_("略過格式錯誤的資料列"),
        required=False,
        help_text=_(
            "勾選時，個別格式錯誤的資料列不匯入，列於匯入報告（行號與原因）；"
            "未勾選時，任何一列錯誤都使整份檔案不匯入。"
        ),
    )
    allow_older = forms.BooleanField(
        label=_("允許匯入較舊的資料集"),
        required=False,
        help_text=_("資料集發布日期早於使用中的資料時，須勾選才會匯入。"),
    )

    def __init__(self, *args, too_large=False, **kwargs):
        """``too_large``: the body declared more bytes than the limit and was not read."""
        super().__init__(*args, **kwargs)
        self.too_large = too_large
        if too_large:
            self.fields["file"].required = False

    def clean(self):
        if self.too_large:
            self.add_error("file", self.too_large_message())
        return super().clean()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload is None:  # too large to be read: said by clean()
            return upload
        if Path(upload.name).suffix.lower() not in EXTENSIONS:
            raise forms.ValidationError(
                _("請上傳 .csv 或 .zip 檔（%(name)s 不是）。"), params={"name": upload.name}
            )
        if upload.size > settings.REGISTRY_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(self.too_large_message())
        return upload

    @staticmethod
    def too_large_message():
        limit = settings.REGISTRY_UPLOAD_MAX_BYTES
        return _("檔案超過 %(limit)s 之上限。") % {"limit": filesizeformat(limit)}
