"""Read-only admin views of the ledger. Balances change only through ``services`` (the ledger
is append-only). A service is suspended only as the sanction of a recorded violation (使用規範:
暫停現有服務), on the staff compliance pages, which mail the company and lift it again; the list
here can reinstate a service only when no such sanction stands (one suspended before that rule)."""

from django.apps import apps
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aipower.core import audit
from aipower.core.admin import ReadOnlyAdmin
from aipower.core.templatetags.roc import roc_datetime

from . import gpu, presenters, services
from .forms import AdjustmentForm, ClusterTokenForm
from .models import (
    Allowance,
    AllowanceState,
    ClusterToken,
    GpuJob,
    LedgerEntry,
    Notice,
    Reservation,
)


class EntryInline(admin.TabularInline):
    model = LedgerEntry
    fields = [
        "created_at", "used_at", "kind", "units", "exact_units", "source", "model", "note",
        "created_by",
    ]  # fmt: skip
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["-created_at", "-id"]
    max_num = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Allowance)
class AllowanceAdmin(ReadOnlyAdmin):
    list_display = [
        "company",
        "kind",
        "account",
        "granted_units",
        "used_units",
        "reserved_units",
        "starts_on",
        "ends_on",
        "state",
    ]
    list_select_related = ["company"]
    list_filter = ["kind", "state"]
    search_fields = ["company__name", "company__ubn", "account"]
    inlines = [EntryInline]
    actions = ["reinstate"]
    change_form_template = "admin/grants/allowance/change_form.html"

    def get_urls(self):
        adjust = self.admin_site.admin_view(self.adjust_view)
        return [
            path("<int:pk>/adjust/", adjust, name="grants_allowance_adjust"),
            *super().get_urls(),
        ]

    def adjust_view(self, request, pk):
        """Add or remove granted units with a reason (``services.adjust``: a ledger entry and
        an audit record)."""
        if not request.user.has_perm("grants.change_allowance"):
            raise PermissionDenied
        allowance = get_object_or_404(
            Allowance.objects.select_related("company", "award__category"), pk=pk
        )
        form = AdjustmentForm(request.POST or None, allowance=allowance)
        if request.method == "POST" and form.is_valid():
            try:
                services.adjust(
                    allowance,
                    form.cleaned_data["units"],
                    form.cleaned_data["reason"],
                    request.user,
                    request=request,
                )
            except services.LedgerError:
                # Used or reserved meanwhile: the same rule as the form's, checked again under
                # the row lock.
                form.add_error("units", _("扣減後之核發量不得低於已使用及預留之量。"))
            else:
                self.message_user(request, _("已調整點數帳戶。"), messages.SUCCESS)
                return redirect(reverse("admin:grants_allowance_change", args=[allowance.pk]))
        upp = allowance.award.category.units_per_point
        figures = [
            (_("核發計量單位數"), allowance.granted_units),
            (_("已扣計量單位數"), allowance.used_units),
            (_("預留計量單位數"), allowance.reserved_units),
            (_("剩餘計量單位數"), allowance.left_units),
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": allowance,
            "title": _("調整點數帳戶"),
            "form": form,
            "unit": _("tokens") if allowance.kind == "inference" else _("GPU 秒"),
            # The units with the points they are worth: the organiser decides in points.
            "figures": [
                (label, f"{units:,}", presenters.display(presenters.points(units, upp)))
                for label, units in figures
            ],
            "per_point": f"{upp:,}",
        }
        return TemplateResponse(request, "admin/grants/allowance/adjust.html", context)

    def has_change_permission(self, request, obj=None):
        # The actions need it; every field stays read-only.
        return obj is None and request.user.has_perm("grants.change_allowance")

    # Actions without ``permissions`` are offered to whoever may view the list (the organiser).
    @admin.action(description=_("恢復使用"), permissions=["change"])
    def reinstate(self, request, queryset):
        """Reinstate suspended services, except those a violation's sanction still suspends:
        they are lifted on the violation's page (which records it and mails the company)."""
        suspended = queryset.filter(state=AllowanceState.SUSPENDED)
        # compliance sits above grants: its model is named, not imported.
        violation = apps.get_model("compliance", "Violation")
        sanctioned = set(
            violation.objects.filter(
                award_id__in=suspended.values("award_id"),
                sanction="suspend",
                reinstated_at__isnull=True,
            ).values_list("award_id", flat=True)
        )
        changed = 0
        for allowance in suspended:
            if allowance.award_id in sanctioned:
                continue
            if services.set_state(
                allowance, AllowanceState.ACTIVE, by=request.user, reason="admin", request=request
            ):
                changed += 1
        self.message_user(request, _("已更新 %(count)d 筆。") % {"count": changed}, messages.INFO)
        if sanctioned:
            self.message_user(
                request,
                _(
                    "%(count)d 筆因違規處分暫停，未恢復：請至違規紀錄頁面恢復服務"
                    "（將通知企業並留存紀錄）。"
                )
                % {"count": len(sanctioned)},
                messages.WARNING,
            )


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at", "used_at", "allowance", "kind", "units", "exact_units", "source", "model",
    ]  # fmt: skip
    list_select_related = ["allowance__company", "model"]
    list_filter = ["kind"]
    search_fields = ["source", "allowance__company__ubn", "allowance__account"]


@admin.register(Reservation)
class ReservationAdmin(ReadOnlyAdmin):
    list_display = ["request_id", "allowance", "units", "created_at", "expires_at", "outcome"]
    list_select_related = ["allowance__company"]
    list_filter = ["outcome"]
    search_fields = ["request_id"]


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["allowance", "kind", "sent_at"]
    list_select_related = ["allowance__company"]
    list_filter = ["kind"]


@admin.register(GpuJob)
class GpuJobAdmin(ReadOnlyAdmin):
    list_display = [
        "cluster",
        "job_id",
        "account",
        "gpus",
        "started_at",
        "ended_at",
        "state",
        "gpu_seconds",
        "suspended_seconds",
        "charged_seconds",
        "taken_seconds",
    ]
    list_filter = ["cluster", "state"]
    search_fields = ["job_id", "account"]


@admin.register(ClusterToken)
class ClusterTokenAdmin(ReadOnlyAdmin):
    list_display = ["cluster", "created_at", "last_used_at", "previous_token", "revoked_at"]
    exclude = ["token_hash", "previous_token_hash"]
    actions = ["issue_new", "revoke", "revoke_previous"]

    def has_add_permission(self, request):
        # A new cluster's token, issued on ``add_view`` (shown once) — never typed in.
        return request.user.has_perm("grants.change_clustertoken")

    def add_view(self, request, form_url="", extra_context=None):
        """A new cluster's token: its name, then the token shown once (as the command prints
        it). Replacing a cluster's token is the list's 換發憑證."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ClusterTokenForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            cluster = form.cleaned_data["cluster"]
            return self._issued(request, [(cluster, gpu.issue_token(cluster, request=request))])
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("發給新叢集憑證"),
            "form": form,
        }
        return TemplateResponse(request, "admin/grants/clustertoken/add.html", context)

    def _issued(self, request, issued):
        """The new tokens, shown this once (like every admin page, never stored: ``no-store``)."""
        rows = ClusterToken.objects.in_bulk(
            [cluster for cluster, _token in issued], field_name="cluster"
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("新叢集憑證"),
            "issued": [(cluster, token, rows[cluster]) for cluster, token in issued],
        }
        return TemplateResponse(request, "admin/grants/clustertoken/issued.html", context)

    @admin.action(description=_("換發憑證（舊憑證仍可用 7 日）"), permissions=["change"])
    def issue_new(self, request, queryset):
        """New tokens for the selected clusters, the replaced ones working beside them for
        ``gpu.ROTATION_OVERLAP`` while each cluster is reconfigured."""
        clusters = list(queryset.order_by("cluster").values_list("cluster", flat=True))
        return self._issued(
            request, [(cluster, gpu.issue_token(cluster, request=request)) for cluster in clusters]
        )

    def get_readonly_fields(self, request, obj=None):
        # Only these (the tokens themselves are never shown); the dates in the site's format.
        names = ["cluster", "created_at", "last_used_at", "revoked_at"]
        names += ["previous_expires_at", "previous_last_used_at"]
        return [self.roc_column_for(name) or name for name in names] + ["previous_token"]

    def has_change_permission(self, request, obj=None):
        return obj is None and request.user.has_perm("grants.change_clustertoken")

    @admin.display(description=_("舊憑證"))
    def previous_token(self, obj):
        """Whether the token a new one replaced still works, until when, and whether the
        cluster still uses it (the operator revokes it once the cluster uses the new one)."""
        now = timezone.now()
        if obj.previous_expires_at is None:
            return None  # never replaced with an overlap: the admin's empty value
        if obj.revoked_at or not obj.previous_token_hash or obj.previous_expires_at <= now:
            return _("已失效")
        until = roc_datetime(obj.previous_expires_at)
        used = obj.previous_last_used_at
        if used is None or used < obj.created_at:
            return _("可用至 %(until)s（換發後未再使用）") % {"until": until}
        return _("可用至 %(until)s（換發後仍在使用，最近 %(used)s）") % {
            "until": until,
            "used": roc_datetime(used),
        }

    @admin.action(description=_("撤銷憑證"), permissions=["change"])
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit.record("grants.revoke_cluster_token", request=request, obj=token)
        self.message_user(request, _("憑證已撤銷。"), messages.INFO)

    @admin.action(description=_("撤銷舊憑證（換發前的憑證）"), permissions=["change"])
    def revoke_previous(self, request, queryset):
        """Stop the replaced tokens before their overlap ends; the new ones keep working."""
        count = sum(gpu.revoke_previous_token(token, request=request) for token in queryset)
        self.message_user(
            request, _("已撤銷 %(count)d 個舊憑證。") % {"count": count}, messages.INFO
        )
