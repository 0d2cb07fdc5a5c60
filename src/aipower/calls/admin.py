"""The operator's admin for the programme configuration: calls with their categories and tiers,
categories with their batches and review criteria (weights must add up to 100), the model
catalogue, texts and announcements. Every change is written to the audit log
(``aipower.core.admin_audit``)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from aipower.core import audit
from aipower.core.admin_audit import AuditedModelAdmin

from .models import (
    Announcement,
    Batch,
    Call,
    CatalogueModel,
    Category,
    Criterion,
    FormNote,
    Text,
    Tier,
    category_awarded,
    criteria_in_use,
)
from .next_year import NextYearExists, copy_to_next_year


class AuditedAdmin(AuditedModelAdmin, admin.ModelAdmin):
    """Every add, change and delete goes to the audit log (inline rows appear in the change
    message of their parent)."""


class CriterionFormSet(BaseInlineFormSet):
    """A category's review criteria: their weights must add up to exactly 100."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if self.instance.pk and self._changes_scored_criteria():
            raise ValidationError(
                _(
                    "已有審查委員依本類別之審查重點評分，審查重點與權重不得再變更"
                    "（各評分表與審查會議之加權總分均依目前之權重計算，變更將改寫已送出之結果）。"
                ),
                code="criteria_in_use",
            )
        weights = [
            form.cleaned_data["weight"]
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("weight") is not None
        ]
        total = sum(weights)
        if total != 100:
            raise ValidationError(
                _("審查重點權重合計須為 100%%（目前為 %(total)s%%）。"),
                code="weights_total",
                params={"total": total},
            )

    def _changes_scored_criteria(self):
        """A weight changed, a criterion added or deleted, once reviewers scored them."""
        changes = any(
            (form.instance.pk is None and form.has_changed() and not self._should_delete_form(form))
            or (form.instance.pk is not None and self._should_delete_form(form))
            or (form.instance.pk is not None and "weight" in form.changed_data)
            for form in self.forms
        )
        return changes and criteria_in_use(self.instance)


class CategoryForm(forms.ModelForm):
    """A category's kind and what a point is worth are fixed once it has awards: an award keeps
    its units (tokens, GPU-seconds) and every page reads its points through the category's
    units per point as it is now."""

    FIXED_ONCE_AWARDED = ("kind", "units_per_point")

    def clean(self):
        cleaned = super().clean()
        changed = [name for name in self.FIXED_ONCE_AWARDED if name in self.changed_data]
        if self.instance.pk and changed and category_awarded(self.instance):
            for name in changed:
                self.add_error(
                    name,
                    _(
                        "本類別已有核定案，不得再變更（已核發之點數依目前之設定換算，"
                        "變更將改變各核定案之點數）。"
                    ),
                )
        return cleaned


class CategoryInline(admin.StackedInline):
    model = Category
    form = CategoryForm
    extra = 0
    show_change_link = True
    fields = [
        ("kind", "order"),
        ("name_zh", "name_en"),
        ("point_definition_zh", "point_definition_en"),
        ("units_per_point", "metering_unit"),
    ]


class TierInline(admin.TabularInline):
    model = Tier
    extra = 0
    fields = ["code", "points", "order"]


class BatchInline(admin.TabularInline):
    model = Batch
    extra = 0
    fields = ["number", "review_date", "cutoff_at"]


class CriterionInline(admin.TabularInline):
    model = Criterion
    formset = CriterionFormSet
    extra = 0
    fields = ["order", "key", "name_zh", "name_en", "weight"]


@admin.register(Call)
class CallAdmin(AuditedAdmin):
    list_display = ["year", "title_zh", "opens_at", "closes_at", "is_suspended"]
    list_editable = ["is_suspended"]
    search_fields = ["title_zh", "title_en"]
    inlines = [CategoryInline, TierInline]
    actions = ["copy_to_next_year"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["year", ("title_zh", "title_en"), ("programme_zh", "programme_en")]}),
        (
            _("申請時間"),
            {"fields": [("opens_at", "closes_at"), "is_suspended"]},
        ),
        (
            _("資格與點數"),
            {
                "fields": [
                    "startup_founded_on_or_after",
                    "industries",
                    "admitted_legal_forms",
                    ("validity_months", "deliverables_days"),
                    "token_rounding",
                ]
            },
        ),
        (
            _("聯繫窗口"),
            {
                "fields": [
                    ("organiser_zh", "organiser_en"),
                    ("executor_zh", "executor_en"),
                    ("co_organisers_zh", "co_organisers_en"),
                    "service_email",
                    ("service_phone_zh", "service_phone_en"),
                    ("service_hours_zh", "service_hours_en"),
                    "site_url",
                ]
            },
        ),
    ]

    @admin.action(description=_("複製為下一年度徵件"), permissions=["add"])
    def copy_to_next_year(self, request, queryset):
        """Next year's call from the one selected: every setting, dates a year later, suspended
        until the operator has checked it."""
        if queryset.count() != 1:
            self.message_user(request, gettext("請只勾選一個徵件。"), messages.ERROR)
            return
        call = queryset.get()
        try:
            new = copy_to_next_year(call)
        except NextYearExists:
            self.message_user(
                request,
                gettext("%(year)s 年度之徵件已存在，未複製。") % {"year": call.year + 1},
                messages.ERROR,
            )
            return
        audit.record("admin.add", request=request, obj=new, copied_from=call.year)
        self.message_user(
            request,
            format_html(
                gettext(
                    "已建立 {year} 年度徵件「{title}」：日期均為一年後，目前暫停收件。"
                    "請檢查日期、梯次、新創優先資格日期及條款文字後，再取消「暫停收件」。"
                ),
                year=new.year,
                title=format_html(
                    '<a href="{}">{}</a>',
                    reverse("admin:calls_call_change", args=[new.pk]),
                    new.title_zh,
                ),
            ),
            messages.SUCCESS,
        )


@admin.register(Category)
class CategoryAdmin(AuditedAdmin):
    form = CategoryForm
    list_display = ["name_zh", "call", "kind", "point_definition_zh", "units_per_point"]
    list_filter = ["call", "kind"]
    inlines = [BatchInline, CriterionInline]
    fields = [
        ("call", "kind", "order"),
        ("name_zh", "name_en"),
        ("tagline_zh", "tagline_en"),
        ("description_zh", "description_en"),
        ("point_definition_zh", "point_definition_en"),
        ("units_per_point", "metering_unit"),
    ]


@admin.register(CatalogueModel)
class CatalogueModelAdmin(AuditedAdmin):
    list_display = [
        "display_name",
        "parameter_size",
        "vendor",
        "country",
        "offered_no_code",
        "offered_validation",
        "offered_inference",
        "upstream_id",
        "prohibited",
        "enabled",
    ]
    list_editable = ["enabled"]
    list_filter = [
        "call",
        "offered_no_code",
        "offered_validation",
        "offered_inference",
        "enabled",
        "prohibited",
    ]
    search_fields = ["display_name", "vendor", "upstream_id"]
    fields = [
        "call",
        ("display_name", "order"),
        ("parameter_size", "vendor", "country"),
        ("offered_no_code", "offered_validation", "offered_inference"),
        "upstream_id",
        ("enabled", "prohibited"),
    ]


@admin.register(Text)
class TextAdmin(AuditedAdmin):
    list_display = ["key", "title_zh", "call"]
    list_filter = ["call", "key"]
    search_fields = ["title_zh", "body_zh", "body_en"]
    fields = ["call", "key", ("title_zh", "title_en"), "body_zh", "body_en"]


@admin.register(FormNote)
class FormNoteAdmin(AuditedAdmin):
    list_display = ["page", "section", "body_zh", "call"]
    list_filter = ["call", "page"]
    search_fields = ["body_zh", "body_en"]
    fields = ["call", ("page", "section"), "body_zh", "body_en"]


@admin.register(Announcement)
class AnnouncementAdmin(AuditedAdmin):
    list_display = ["title_zh", "published_on", "is_published", "call"]
    list_filter = ["call", "is_published"]
    list_editable = ["is_published"]
    search_fields = ["title_zh", "title_en", "body_zh"]
    date_hierarchy = "published_on"
    fields = [
        "call",
        ("title_zh", "title_en"),
        ("body_zh", "body_en"),
        ("published_on", "is_published"),
    ]
