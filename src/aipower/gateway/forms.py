"""The company's form to create an API key."""

from django import forms
from django.utils.translation import gettext_lazy as _


class AwardChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, award):
        return f"{award.application.number or award.pk}（{award.starts_on} – {award.ends_on}）"


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=_("金鑰名稱"),
        max_length=100,
        error_messages={"required": _("請輸入金鑰名稱。")},
        help_text=_("例如：正式環境、測試用（僅供辨識）"),
    )
    award = AwardChoiceField(
        label=_("核定計畫"),
        queryset=None,
        empty_label=None,
        error_messages={"required": _("請選擇核定計畫。")},
    )

    def __init__(self, *args, awards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["award"].queryset = awards
        if awards.count() == 1:
            self.fields["award"].widget = forms.HiddenInput()
            self.fields["award"].initial = awards.first()

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("請輸入金鑰名稱。"))
        return name
