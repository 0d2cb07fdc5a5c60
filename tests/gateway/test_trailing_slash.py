"""A path with a trailing slash (``/v1/chat/completions/``, a hand-written client's base URL
joined badly) is not an endpoint: the lean app answered Starlette's 307 redirect, without an
``x-request-id``, to an address built from the Host header with the scheme the app sees (http
behind the TLS proxy): a client following it sent its request to plain http (the SDK without
its key, which httpx drops on a change of scheme). Now it is 404 ``unknown_url`` in OpenAI's
shape, naming the path, as any unknown path."""

import pytest

from .test_headers import REQUEST_ID, lean_app_answers

pytestmark = pytest.mark.integration


def test_a_trailing_slash_is_an_unknown_path_not_a_redirect():
    answers = lean_app_answers(
        ("POST", "/v1/chat/completions/", b"{}"),
        ("POST", "/v1/embeddings/", b"{}"),
        ("GET", "/v1/nothing-here/", b""),
    )

    for answer, path in zip(
        answers, ["/v1/chat/completions/", "/v1/embeddings/", "/v1/nothing-here/"], strict=True
    ):
        assert answer.status_code == 404, path
        assert "location" not in answer.headers
        assert REQUEST_ID.match(answer.headers["x-request-id"])
        error = answer.json()["error"]
        assert error["code"] == "unknown_url"
        assert path in error["message"]
