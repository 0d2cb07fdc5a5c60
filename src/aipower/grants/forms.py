"""The operator's forms in the admin: the adjustment of an allowance (signed units and a
reason) and a new cluster's API token."""

from django import forms
from django.utils.translation import gettext_lazy as _

from aipower.core.form_messages import NamedInvalidMessages, WholeNumberField

from . import gpu
from .models import ClusterToken


class AdjustmentForm(NamedInvalidMessages, forms.Form):
    # A text box: a number box empties what is not a number (「-1,000」 in some browsers), and
    # the page would say 請輸入 instead of keeping what was typed.
    units = WholeNumberField(
        label=_("調整計量單位數"),
        help_text=_("正數為增加、負數為扣減；推論類以 tokens 計，訓練類以 GPU 秒計。"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={
            "required": _("請輸入調整計量單位數。"),
            "invalid": _(
                "調整計量單位數請填寫整數，增加為正數、扣減為負數（例如 5000 或 -5000）。"
            ),
        },
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


class ClusterTokenForm(NamedInvalidMessages, forms.Form):
    cluster = forms.CharField(
        label=_("叢集名稱"),
        max_length=64,
        help_text=_("與 sacct 之 Cluster 欄相同；英文字母、數字、- 及 _。"),
        error_messages={"required": _("請輸入叢集名稱。")},
    )

    def clean_cluster(self):
        cluster = self.cleaned_data["cluster"].strip()
        if not gpu.CLUSTER_NAME.fullmatch(cluster):
            raise forms.ValidationError(_("叢集名稱僅可使用英文字母、數字、- 及 _。"))
        cluster = gpu.cluster_name(cluster)  # 'Taiwania2' is the cluster 'taiwania2'
        if ClusterToken.objects.filter(cluster=cluster).exists():
            raise forms.ValidationError(
                _("此叢集已有憑證；換發請在叢集憑證清單勾選後執行「換發憑證」。")
            )
        return cluster
