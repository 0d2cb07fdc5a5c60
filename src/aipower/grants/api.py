"""The cluster's API: GPU job ingest and the account export, authenticated by a per-cluster
bearer token (no cookies, so no CSRF) and limited to ``GRANTS_CLUSTER_RATE_LIMIT`` requests a
minute per cluster (``core.ratelimit``; 429 with ``Retry-After`` beyond); its OpenAPI 3
description is ``openapi.json`` beside this module, served as is."""

import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from aipower.core.ratelimit import SharedRateLimiter

from . import gpu

OPENAPI_FILE = Path(__file__).resolve().parent / "openapi.json"
# A new job costs some 15 statements (the job, its charge and ledger entry, their savepoints):
# a full batch stays within ``QUERY_BUDGET``, some 7 s, well inside a worker's request timeout
# (gunicorn's 30 s; 5,000 records took over half a minute).
MAX_RECORDS = 1000
QUERY_BUDGET = 20_000
# Per cluster: a runaway script on the cluster cannot flood the database.
# Shared by every worker process (a row per cluster): a cluster's limit is its limit, however
# many processes serve the API.
rate_limiter = SharedRateLimiter("cluster-api")


def _error(status, code, message, **extra):
    return JsonResponse({"error": {"code": code, "message": message, **extra}}, status=status)


def _unauthorised():
    response = _error(401, "invalid_token", "A valid cluster bearer token is required.")
    response["WWW-Authenticate"] = 'Bearer realm="aipower-cluster"'
    return response


def cluster_api(method):
    """Answer ``method`` only (405 in the API's JSON shape otherwise), authenticate the cluster
    by its bearer token; the view gets ``cluster``."""
    return lambda view: _cluster_api(view, method)


def _cluster_api(view, method):
    def wrapper(request, *args, **kwargs):
        if request.method != method:
            response = _error(
                405, "method_not_allowed", f"{request.method} is not allowed here; use {method}."
            )
            response["Allow"] = method
            return response
        now = timezone.now()
        cluster = gpu.authenticate(request.headers.get("Authorization"), now)
        if cluster is None:
            return _unauthorised()
        wait = rate_limiter.allow(cluster, settings.GRANTS_CLUSTER_RATE_LIMIT)
        if wait:
            response = _error(
                429,
                "rate_limit_exceeded",
                f"Too many requests from this cluster; try again in {wait} s.",
            )
            response["Retry-After"] = str(wait)
            return response
        return view(request, cluster, now, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@csrf_exempt
@cluster_api("POST")
def ingest_jobs(request, cluster, now):
    """POST /usage/api/gpu/jobs: a JSON list of job records; all applied or none."""
    try:
        body = request.body
    except RequestDataTooBig:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return _error(
            413,
            "payload_too_large",
            f"The body is larger than {limit} bytes; send the records in smaller batches.",
        )
    try:
        payload = json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError):
        return _error(400, "invalid_json", "The body is not JSON.")
    if not isinstance(payload, list):
        return _error(400, "invalid_payload", "The body is a JSON list of job records.")
    if len(payload) > MAX_RECORDS:
        return _error(400, "too_many_records", f"At most {MAX_RECORDS} records per request.")
    records, errors = [], []
    for index, item in enumerate(payload):
        try:
            records.append(gpu.record_from_json(item, cluster))
        except gpu.RecordError as exc:
            errors.append({"index": index, "message": str(exc)})
    if errors:
        return _error(400, "invalid_records", "Some job records are invalid.", records=errors)
    with transaction.atomic():
        results = gpu.record_jobs(records, now)
    return JsonResponse(
        {
            "cluster": cluster,
            "received": len(results),
            "charged_gpu_seconds": sum(r.charged_now for r in results),
            "jobs": [
                {
                    "job_id": r.job_id,
                    "gpu_seconds": r.gpu_seconds,
                    "charged_gpu_seconds": r.charged_seconds,
                    "charged_now": r.charged_now,
                    "status": r.status,
                }
                for r in results
            ],
        }
    )


@cluster_api("GET")
def export_accounts(request, cluster, now):
    """GET /usage/api/gpu/accounts: active accounts with GPU time left, accounts to stop."""
    return JsonResponse({"cluster": cluster, **gpu.cluster_accounts(now)})


@require_GET
def openapi(request):
    """GET /usage/api/openapi.json: the API's OpenAPI 3 description."""
    return HttpResponse(OPENAPI_FILE.read_bytes(), content_type="application/json")
