"""Staff pages of the data set's upload and background import (``uploads``): the upload form
with the latest jobs, a job's page with its progress bar, and the progress as JSON."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from aipower.accounts import rules
from aipower.accounts.decorators import staff_required
from aipower.core import bodies

from . import services, uploads
from .forms import UploadForm
from .models import ImportJob

RECENT_JOBS = 20


# CSRF is checked by ``_imports``; the outer view is exempt only so that a body larger than
# the limit is refused from its Content-Length before anything reads (and stores) it.
@csrf_exempt
@require_http_methods(["GET", "POST"])
@staff_required(*rules.REGISTRY_VIEWERS)
def imports(request):
    """The upload form (the operator) and the latest uploads with their outcome (both)."""
    if request.method == "POST" and bodies.too_large(request, settings.REGISTRY_UPLOAD_MAX_BYTES):
        if not rules.can_manage_registry(request.user):
            raise PermissionDenied
        form = UploadForm({}, {}, too_large=True)
        form.is_valid()  # the error by the file's field
        return _page(request, form, status=413)
    return _imports(request)


@csrf_protect
def _imports(request):
    may_upload = rules.can_manage_registry(request.user)
    form = UploadForm() if may_upload else None
    status = 200
    if request.method == "POST":
        if not may_upload:
            raise PermissionDenied
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                job = uploads.accept(
                    form.cleaned_data["file"],
                    by=request.user,
                    skip_bad_rows=form.cleaned_data["skip_bad_rows"],
                    allow_older=form.cleaned_data["allow_older"],
                    request=request,
                )
            except uploads.UploadRefused as refused:
                form.add_error(None, refused.message)
            else:
                return redirect("registry:import_job", pk=job.pk)
        status = 400
    return _page(request, form, status=status)


def _page(request, form, status=200):
    active = ImportJob.objects.filter(active=True).first()
    stalled = active is not None and uploads.status(active)["stalled"]
    if active is not None and not stalled and request.method == "GET":
        form = None  # nothing to send until it is done: the notice links to its progress
    context = {
        "active": active,
        "stalled": stalled,
        "form": form,
        "jobs": ImportJob.objects.select_related("uploaded_by", "snapshot")[:RECENT_JOBS],
        "current": services.current_snapshot(),
        # The organiser reads the uploads here; the page is named for what each one does.
        "may_upload": rules.can_manage_registry(request.user),
    }
    return render(request, "registry/imports.html", context, status=status)


@require_GET
@staff_required(*rules.REGISTRY_VIEWERS)
def import_job(request, pk):
    job = get_object_or_404(ImportJob.objects.select_related("uploaded_by", "snapshot"), pk=pk)
    return render(
        request,
        "registry/import_job.html",
        {
            "job": job,
            "progress": uploads.status(job),
            "may_upload": rules.can_manage_registry(request.user),
        },
    )


@never_cache
@require_GET
@staff_required(*rules.REGISTRY_VIEWERS)
def import_status(request, pk):
    job = get_object_or_404(ImportJob, pk=pk)
    return JsonResponse(uploads.status(job))
