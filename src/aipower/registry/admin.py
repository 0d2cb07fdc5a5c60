"""Admin: tax-registration snapshots (read-only) and the operator's lists (audited). An entry a
violation's sanction put on a list (``ListEntry.violation``) says so and links to the violation,
in the list, on its page and on the page that confirms its deletion."""

from django import forms
from django.contrib import admin
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.utils import unquote
from django.db.models import OuterRef, Q, Subquery
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from aipower.core.admin import ReadOnlyAdmin
from aipower.core.admin_audit import AuditedModelAdmin
from aipower.core.validators import normalize_ubn, ubn_error

from .enums import ListKind
from .models import ListEntry, Snapshot, TaxRecord
from .services import name_variants


@admin.register(Snapshot)
class SnapshotAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "source_name",
        "published_on",
        "row_count",
        "skipped_count",
        "status",
        "is_current",
        "imported_at",
    ]
    list_filter = ["status", "is_current"]
    readonly_fields = [f.name for f in Snapshot._meta.fields]


# The programme's conditions about the last three years: an entry ends three years after the fact.
THREE_YEAR_KINDS = (ListKind.MAJOR_BREACH, ListKind.SERIOUS_VIOLATION)


class ListEntryForm(forms.ModelForm):
    """The 統一編號 as people type it: full-width digits, spaces and hyphens are read as the
    eight digits (the box is wide enough for 「8470-0087」, so no digit is cut off while
    typing), and a wrong number says whether its length or its check digit is wrong."""

    ubn = forms.CharField(
        label=ListEntry._meta.get_field("ubn").verbose_name,
        max_length=40,
        help_text=ListEntry._meta.get_field("ubn").help_text,
    )

    class Meta:
        model = ListEntry
        fields = ["ubn", "kind", "reason", "until"]

    def clean_ubn(self):
        number = normalize_ubn(self.cleaned_data["ubn"])
        error = ubn_error(number)
        if error:
            raise forms.ValidationError(error, code="invalid_ubn")
        return number

    def clean(self):
        """A bar from the next application is for one application (使用規範：停權下次申請資格
        乙次), so it ends, as the compliance decision's bar does; a new entry that ended
        before today would never apply."""
        cleaned = super().clean()
        kind, until = cleaned.get("kind"), cleaned.get("until")
        if kind == ListKind.BARRED and until is None and "until" not in self.errors:
            self.add_error(
                "until",
                _("「停權下次申請資格乙次」須填寫期限（期限過後不再適用）。"),
            )
        if kind in THREE_YEAR_KINDS and until is None and "until" not in self.errors:
            self.add_error(
                "until",
                _("此名單以最近3年內之情事為限，須填寫期限（該情事發生日起3年）。"),
            )
        if until is not None and self.instance.pk is None and until < timezone.localdate():
            self.add_error("until", _("期限早於今天，這筆紀錄不會影響申請資格；請確認日期。"))
        return cleaned


class InForceFilter(admin.SimpleListFilter):
    """Entries the pre-check still applies (no end, or ending today or later) or past ones."""

    title = _("效力")
    parameter_name = "in_force"

    def lookups(self, request, model_admin):
        return [("yes", _("仍適用")), ("no", _("已屆期"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "yes":
            return queryset.filter(Q(until__isnull=True) | Q(until__gte=today))
        if self.value() == "no":
            return queryset.filter(until__lt=today)
        return queryset


class SourceFilter(admin.SimpleListFilter):
    """Entries a violation's sanction put on the list, or those the operator typed."""

    title = _("登錄來源")
    parameter_name = "source"

    def lookups(self, request, model_admin):
        return [("sanction", _("違規處分")), ("typed", _("人工登錄"))]

    def queryset(self, request, queryset):
        if self.value() == "sanction":
            return queryset.filter(violation__isnull=False)
        if self.value() == "typed":
            return queryset.filter(violation__isnull=True)
        return queryset


def sanction_of(entry):
    """The violation whose sanction put ``entry`` on the list, or None (typed by hand)."""
    return getattr(entry, "violation", None) if entry is not None else None


@admin.register(ListEntry)
class ListEntryAdmin(AuditedModelAdmin, admin.ModelAdmin):
    form = ListEntryForm
    list_display = [
        "ubn",
        "company_name",
        "kind",
        "until",
        "in_force",
        "source",
        "added_by",
        "added_at",
    ]
    list_filter = [InForceFilter, SourceFilter, "kind"]
    search_fields = ["ubn", "reason"]
    readonly_fields = ["source", "added_by", "added_at"]
    fields = ["ubn", "kind", "reason", "until", "source", "added_by", "added_at"]
    delete_confirmation_template = "admin/registry/listentry/delete_confirmation.html"
    delete_selected_confirmation_template = (
        "admin/registry/listentry/delete_selected_confirmation.html"
    )

    def get_queryset(self, request):
        # Each entry's company as the current data set names it (one subquery, not a look-up
        # per row); an entry whose number the data set lacks shows 「—」.
        current = Snapshot.objects.filter(is_current=True).order_by().values("pk")[:1]
        names = TaxRecord.objects.filter(snapshot_id=Subquery(current), ubn=OuterRef("ubn"))
        return (
            super()
            .get_queryset(request)
            .annotate(company_name=Subquery(names.values("name")[:1]))
            .select_related("added_by", "violation")
        )

    def get_search_results(self, request, queryset, search_term):
        """The 統一編號 or the reason, as before, or a part of the company's name (as the staff
        company search reads it: 台 or 臺, half- or full-width)."""
        found, duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if len(term) >= 2 and not normalize_ubn(term).isdigit():
            named = Q()
            for variant in name_variants(term):
                named |= Q(company_name__contains=variant)
            found = found | queryset.filter(named)
        return found, duplicates

    @admin.display(description=_("營業人名稱"), ordering="company_name")
    def company_name(self, obj):
        return obj.company_name or "—"

    @admin.display(description=_("仍適用"), boolean=True)
    def in_force(self, obj):
        """As the pre-check reads the entry: it applies through its last day (``until``)."""
        return obj.until is None or obj.until >= timezone.localdate()

    @admin.display(description=_("登錄來源"))
    def source(self, obj):
        """The violation whose sanction put the entry here, linked; else 人工登錄."""
        violation = sanction_of(obj)
        if violation is None:
            return _("人工登錄")
        return format_html(
            '<a href="{}">{}</a>',
            reverse("compliance:detail", args=[violation.pk]),
            _("違規處分（違規紀錄 #%(id)s）") % {"id": violation.pk},
        )

    def delete_view(self, request, object_id, extra_context=None):
        """The confirmation names the violation whose sanction the entry is: deleting it lifts
        the sanction (the company may apply again)."""
        entry = self.get_object(request, unquote(object_id))
        extra_context = {**(extra_context or {}), "sanctions": _sanctions([entry])}
        return super().delete_view(request, object_id, extra_context)

    def get_actions(self, request):
        """Django's 刪除所選的 … with the same naming of the sanctions on its confirmation."""
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            _action, name, description = actions["delete_selected"]
            actions["delete_selected"] = (_delete_selected, name, description)
        return actions

    def save_model(self, request, obj, form, change):
        if not change:
            obj.added_by = request.user
        super().save_model(request, obj, form, change)

    # The staff company page links its 新增名單紀錄 and each entry's 修改 here with
    # ``from=company``: saved, the operator is back on that page, where the verdict reads the
    # entry (the admin's own list shows neither the verdict nor the company's other entries).
    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        return self._back_to_company(request, obj) or response

    def response_change(self, request, obj):
        response = super().response_change(request, obj)
        return self._back_to_company(request, obj) or response

    @staticmethod
    def _back_to_company(request, obj):
        staying = {"_continue", "_addanother", "_saveasnew"} & set(request.POST)
        if request.GET.get("from") == "company" and not staying:
            return redirect("registry:company", ubn=obj.ubn)
        return None


def _delete_selected(modeladmin, request, queryset):
    response = delete_selected(modeladmin, request, queryset)
    if getattr(response, "context_data", None) is not None:  # the confirmation, not yet shown
        response.context_data["sanctions"] = _sanctions(queryset.select_related("violation"))
    return response


def _sanctions(entries):
    """``[(entry, violation, url)]`` for the entries a violation's sanction put on a list."""
    found = []
    for entry in entries:
        violation = sanction_of(entry)
        if violation is not None:
            found.append((entry, violation, reverse("compliance:detail", args=[violation.pk])))
    return found
