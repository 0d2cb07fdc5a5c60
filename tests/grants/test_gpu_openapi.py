"""The cluster API answers as its OpenAPI document says: every response checked against the
documented schema of its path and status (a small JSON Schema subset, enough for the document)."""

import json
from pathlib import Path

import pytest
from django.urls import reverse

from aipower.grants import api, gpu, services

pytestmark = pytest.mark.integration

SPEC = json.loads((Path(gpu.__file__).parent / "openapi.json").read_text())
TYPES = {
    "string": str,
    "integer": int,
    "number": (int, float),
    "object": dict,
    "array": list,
    "boolean": bool,
    "null": type(None),
}


def _resolve(schema):
    while "$ref" in schema:
        node = SPEC
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def violations(value, schema, where="$"):
    """What in ``value`` the schema does not allow (an empty list when it conforms)."""
    schema = _resolve(schema)
    found = []
    kinds = schema.get("type")
    if kinds is not None:
        kinds = kinds if isinstance(kinds, list) else [kinds]
        ok = any(
            isinstance(value, TYPES[kind])
            and not (kind in ("integer", "number") and isinstance(value, bool))
            for kind in kinds
        )
        if not ok:
            return [f"{where}: {value!r} is not {kinds}"]
    if "enum" in schema and value not in schema["enum"]:
        found.append(f"{where}: {value!r} not in {schema['enum']}")
    if isinstance(value, str) and len(value) > schema.get("maxLength", len(value)):
        found.append(f"{where}: longer than {schema['maxLength']}")
    if isinstance(value, int | float) and value < schema.get("minimum", value):
        found.append(f"{where}: below {schema['minimum']}")
    if isinstance(value, int | float) and value > schema.get("maximum", value):
        found.append(f"{where}: above {schema['maximum']}")
    if isinstance(value, dict):
        for name in schema.get("required", []):
            if name not in value:
                found.append(f"{where}: {name} missing")
        for name, item in value.items():
            if name in schema.get("properties", {}):
                found += violations(item, schema["properties"][name], f"{where}.{name}")
    if isinstance(value, list):
        if len(value) > schema.get("maxItems", len(value)):
            found.append(f"{where}: more than {schema['maxItems']} items")
        for index, item in enumerate(value):
            found += violations(item, schema.get("items", {}), f"{where}[{index}]")
    return found


def assert_documented(response, path, method):
    """The response's status is documented for the operation, and its body fits the schema."""
    operation = SPEC["paths"][path][method]
    documented = operation["responses"].get(str(response.status_code))
    assert documented is not None, f"{method} {path}: {response.status_code} not documented"
    documented = _resolve(documented)
    assert response["Content-Type"].startswith("application/json")
    schema = documented["content"]["application/json"]["schema"]
    problems = violations(response.json(), schema)
    assert problems == [], problems
    for header in documented.get("headers", {}):
        assert response.has_header(header), f"{header} documented, not sent"


@pytest.fixture
def token(db):
    return gpu.issue_token("taiwania")


def _post(client, body, token, **extra):
    return client.post(
        reverse("grants:api-gpu-jobs"),
        data=body if isinstance(body, str | bytes) else json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        **extra,
    )


JOB = {
    "job_id": "5001",
    "account": "aip115-04595257",
    "gpus": 2,
    "start": "2026-11-20T09:00:00+08:00",
    "end": None,
    "state": "RUNNING",
}


def test_every_schema_of_the_document_is_one_the_checker_reads():
    """The checker knows every keyword the document's schemas use, so it misses nothing."""
    known = {"type", "required", "properties", "items", "enum", "maxLength", "minimum"}
    known |= {"maximum", "maxItems", "$ref", "description", "example", "format"}

    def keywords(schema):
        if isinstance(schema, dict):
            for name, value in schema.items():
                yield name
                if name == "properties":
                    for item in value.values():
                        yield from keywords(item)
                elif isinstance(value, dict):
                    yield from keywords(value)

    used = set()
    for schema in SPEC["components"]["schemas"].values():
        used |= set(keywords(schema))
    assert used <= known, used - known


def test_ingest_responses_match_the_document(client, call_115, token, settings):
    from .conftest import make_award

    services.open_allowance(make_award(call_115, "04595257", "training"))
    settings.GRANTS_CLUSTER_RATE_LIMIT = 1000
    path = "/gpu/jobs"

    assert_documented(
        _post(client, [JOB, {**JOB, "job_id": "5002", "account": "x"}], token), path, "post"
    )
    assert_documented(_post(client, "{", token), path, "post")
    assert_documented(_post(client, {"job_id": "1"}, token), path, "post")
    assert_documented(_post(client, [{**JOB, "gpus": -1}, 7], token), path, "post")
    assert_documented(_post(client, [JOB] * (api.MAX_RECORDS + 1), token), path, "post")
    assert_documented(_post(client, [JOB], "aipc_wrong"), path, "post")


def test_rate_limited_response_matches_the_document(client, token, settings):
    settings.GRANTS_CLUSTER_RATE_LIMIT = 1
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    client.get(reverse("grants:api-gpu-accounts"), **headers)

    refused = client.get(reverse("grants:api-gpu-accounts"), **headers)
    posted = _post(client, [], token)

    assert (refused.status_code, posted.status_code) == (429, 429)
    assert_documented(refused, "/gpu/accounts", "get")
    assert_documented(posted, "/gpu/jobs", "post")


def test_export_response_matches_the_document(client, call_115, token):
    from .conftest import make_award

    active = services.open_allowance(make_award(call_115, "04595257", "training"))
    stopped = services.open_allowance(make_award(call_115, "10458575", "training"))
    services.set_state(stopped, "suspended")
    services.charge_usage(active, 1800, "slurm:taiwania:1:1800")
    url = reverse("grants:api-gpu-accounts")

    response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")

    assert [len(response.json()[key]) for key in ("active", "stop")] == [1, 1]
    assert_documented(response, "/gpu/accounts", "get")
    assert_documented(client.get(url), "/gpu/accounts", "get")


def test_too_large_body_is_a_documented_json_413(client, db, token, settings):
    """Beyond Django's body limit the cluster got the site's HTML 'Bad Request' page."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = _post(client, [JOB] * 20, token)

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert_documented(response, "/gpu/jobs", "post")


def test_absurd_gpu_count_is_an_invalid_record(client, call_115, token):
    """A GPU count beyond any job (a corrupt record) failed with a server error."""
    from .conftest import make_award

    services.open_allowance(make_award(call_115, "04595257", "training"))

    response = _post(client, [{**JOB, "gpus": 10**30}], token)

    assert response.status_code == 400
    assert response.json()["error"]["records"][0]["index"] == 0
    assert_documented(response, "/gpu/jobs", "post")


def test_wrong_method_is_a_documented_json_405(client, token):
    """A GET of the ingest path (or a POST of the export) was an empty 405 page."""
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    get_jobs = client.get(reverse("grants:api-gpu-jobs"), **headers)
    post_accounts = client.post(reverse("grants:api-gpu-accounts"), **headers)

    assert (get_jobs.status_code, get_jobs["Allow"]) == (405, "POST")
    assert (post_accounts.status_code, post_accounts["Allow"]) == (405, "GET")
    assert get_jobs.json()["error"]["code"] == "method_not_allowed"
    assert_documented(get_jobs, "/gpu/jobs", "post")
    assert_documented(post_accounts, "/gpu/accounts", "get")


def test_request_example_fits_the_documented_request_schema():
    body = SPEC["paths"]["/gpu/jobs"]["post"]["requestBody"]["content"]["application/json"]

    assert violations(body["example"], body["schema"]) == []


def test_a_full_batch_stays_within_the_query_budget(client, call_115, token, settings):
    """A full batch of new jobs (5,000 of them) ran some 75,000 statements: over half a minute,
    past the worker's timeout, so the request was killed and the cluster's retry failed the
    same way. The documented batch size is one the budget covers."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .conftest import make_award

    allowance = services.open_allowance(make_award(call_115, "04595257", "training"))
    settings.GRANTS_CLUSTER_RATE_LIMIT = 1000
    end = "2026-11-20T10:00:00+08:00"
    jobs = [{**JOB, "job_id": str(n), "account": allowance.account, "end": end} for n in range(20)]
    _post(client, jobs[:1], token)  # the notices, the token's first use

    with CaptureQueriesContext(connection) as queries:
        response = _post(client, jobs[1:], token)

    assert response.json()["received"] == 19, response.json()
    per_record = -(-len(queries) // 19)
    body = SPEC["paths"]["/gpu/jobs"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"]["maxItems"] == api.MAX_RECORDS
    assert per_record * api.MAX_RECORDS <= api.QUERY_BUDGET, per_record
