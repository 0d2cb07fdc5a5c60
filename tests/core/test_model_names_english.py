"""Every model is named in the singular in English: the audit log names one object by it
(「Violation 3」) and the admin's buttons say "Add Violation". Fourteen models shared their
Chinese name's message with the plural heading (違規紀錄 → "Violations"), so the audit log said
"Violations 3" of one violation; their singular now has the message context "model"."""

import pytest
from django.apps import apps
from django.utils import translation

pytestmark = pytest.mark.unit


def _ours():
    return [m for m in apps.get_models() if m.__module__.startswith("aipower.")]


def test_every_model_is_named_in_the_singular_in_english():
    with translation.override("en"):
        plural = {m._meta.label: str(m._meta.verbose_name) for m in _ours()}
    assert {label: name for label, name in plural.items() if name.endswith("s")} == {}


def test_a_link_to_one_object_is_labelled_in_the_singular_in_english():
    with translation.override("en"):
        labels = {
            f"{m._meta.label}.{f.name}": str(f.verbose_name)
            for m in _ours()
            for f in m._meta.get_fields()
            if (f.many_to_one or f.one_to_one) and f.concrete and str(f.verbose_name).endswith("s")
        }
    assert labels == {}


def test_the_chinese_names_stay_as_they_were():
    with translation.override("zh-hant"):
        names = {m._meta.label: str(m._meta.verbose_name) for m in _ours()}
    assert names["compliance.Violation"] == "違規紀錄"
    assert names["core.AuditEntry"] == "稽核紀錄"
    assert names["privacy.DataRequest"] == "個人資料請求"
