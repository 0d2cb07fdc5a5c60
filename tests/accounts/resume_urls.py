"""The site's URLs plus a resumable company form at ``resume-test/`` (``accounts.resume``)."""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_http_methods

from aipower.accounts.decorators import company_required, staff_required
from aipower.accounts.resume import resumable
from aipower.urls import urlpatterns as site_urlpatterns


@company_required
@resumable
@require_http_methods(["GET", "POST"])
def form_view(request):
    """Echoes what it was sent: ``GET`` or ``POST plan=…`` and the company."""
    if request.method == "POST":
        return HttpResponse(f"POST plan={request.POST.get('plan')} by {request.user.company.ubn}")
    return HttpResponse(f"GET by {request.user.company.ubn}")


@company_required
@require_http_methods(["GET", "POST"])
def plain_view(request):
    return HttpResponse(request.method)


@staff_required()
@resumable
@require_http_methods(["GET", "POST"])
def staff_form_view(request):
    """Echoes what it was sent and by whom."""
    if request.method == "POST":
        return HttpResponse(f"POST comment={request.POST.get('comment')} by {request.user}")
    return HttpResponse(f"GET by {request.user}")


urlpatterns = [
    path("staff-resume-test/", staff_form_view),
    path("resume-test/", form_view),
    path("plain-test/", plain_view),
    *site_urlpatterns,
]
