"""The site's URLs. Development tools add none: the card component is its own process."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from aipower import health
from aipower.accounts.admin_site import StaffAdminSite

# /admin/ needs a staff member with a verified TOTP session (operator or organiser).
admin.site.__class__ = StaffAdminSite

urlpatterns = [
    path("healthz", health.live, name="healthz"),
    path("readyz", health.ready, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("staff/registry/", include("aipower.registry.urls")),
    path("staff/", include("aipower.accounts.staff_urls")),
    path("staff/review/", include("aipower.review.urls")),
    path("staff/compliance/", include("aipower.compliance.staff_urls")),
    path("staff/deliverables/", include("aipower.deliverables.staff_urls")),
    path("staff/followup/", include("aipower.followup.staff_urls")),
    path("staff/privacy/", include("aipower.privacy.staff_urls")),
    path("staff/mail/", include("aipower.applications.staff_urls")),
    path("staff/usage/", include("aipower.grants.staff_urls")),
    path("apply/", include("aipower.applications.urls")),
    path("usage/", include("aipower.grants.urls")),
    path("keys/", include("aipower.gateway.key_urls")),
    path("deliverables/", include("aipower.deliverables.urls")),
    path("followup/", include("aipower.followup.urls")),
    path("privacy/", include("aipower.privacy.urls")),
    path("v1/", include("aipower.gateway.urls")),
    path("", include("aipower.accounts.urls")),
    path("", include("aipower.public.urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
