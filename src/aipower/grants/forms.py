"""The operator's adjustment of an allowance (admin): signed units and a reason."""

from django import forms
from django.utils.translation import gettext_lazy as _


class AdjustmentForm(forms.Form):
    units = forms.IntegerField(
        label=_("調整計量單位數"),
        help_text=_("正數為增加、負數為扣減；推論類以 tokens 計，訓練類以 GPU 秒計。"),
        error_messages={"required": _("請輸入調整計量單位數。"), "invalid": _("請輸入整數。")},
    )
    reason = forms.CharField(
        label=_("調整原因"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("請輸入調整原因。")},
    )

    def __init__(self, *args, allowance, **kwargs):
        super().__init__(*args, **kwargs)
        self.allowance = allowance

    def clean_units(self):
        units = self.cleaned_data["units"]
        if units == 0:
            raise forms.ValidationError(_("調整計量單位數不得為 0。"))
        allowance = self.allowance
        if allowance.granted_units + units < allowance.used_units + allowance.reserved_units:
            raise forms.ValidationError(
                _("扣減後之核發量不得低於已使用及預留之量（最多可扣減 %(most)s）。")
                % {"most": allowance.left_units}
            )
        return units

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("請輸入調整原因。"))
        return reason
