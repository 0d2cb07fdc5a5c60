"""The company's form to create an API key."""

import datetime
import re
import secrets

from django import forms
from django.conf import settings
from django.core import validators
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aipower.core.form_messages import (
    NamedInvalidMessages,
    WholeNumberField,
    whole_number_input,
)
from aipower.core.roc import format_period
from aipower.core.widgets import DateInput

TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")


class AwardChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, award):
        return _("%(number)s（%(period)s）") % {
            "number": award.application.number or award.pk,
            "period": format_period(award.starts_on, award.ends_on),
        }


class ApiKeyForm(NamedInvalidMessages, forms.Form):
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

    expires_on = forms.DateField(
        label=_("到期日"),
        required=False,
        widget=DateInput(),
        help_text=_("選填；留空則於核定使用期間結束時失效"),
    )

    # A text box with the digit keyboard: a number box would send 「1,000」 or 「十」 as nothing,
    # and an empty limit is the platform's, so what was typed would be lost without a word.
    rate_limit = WholeNumberField(
        label=_("每分鐘請求上限"),
        required=False,
        min_value=1,
        widget=whole_number_input(),
        error_messages={
            "max_value": _("每分鐘請求上限不得超過平台的上限：每分鐘 %(limit_value)s 次。")
        },
    )

    # One-time token of this form (see ``services.create_key``): a new one on every form shown.
    request_token = forms.CharField(required=False, widget=forms.HiddenInput())

    def __init__(self, *args, awards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["request_token"].initial = secrets.token_urlsafe(24)
        # A key may be slower than the platform allows, never faster.
        ceiling = settings.GATEWAY_DEFAULT_RATE_LIMIT
        rate_limit = self.fields["rate_limit"]
        rate_limit.validators.append(validators.MaxValueValidator(ceiling))
        rate_limit.help_text = _("選填；留空則為平台的上限：每分鐘 %(limit)s 次") % {
            "limit": ceiling
        }
        self.fields["award"].queryset = awards
        if awards.count() == 1:
            self.fields["award"].widget = forms.HiddenInput()
            self.fields["award"].initial = awards.first()

    def clean_request_token(self):
        token = self.cleaned_data["request_token"]
        return token if TOKEN_PATTERN.fullmatch(token) else ""  # not ours: no de-duplication

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("請輸入金鑰名稱。"))
        return name

    def clean_expires_on(self):
        day = self.cleaned_data.get("expires_on")
        if day is not None and day < timezone.localdate():
            raise forms.ValidationError(_("到期日不得早於今天。"))
        return day

    def expires_at(self):
        """The end of the chosen day (Asia/Taipei), or None."""
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        midnight = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
        return timezone.make_aware(midnight)
