"""``/v1`` as a lean ASGI application beside Django, sharing the same engine.

``aipower.asgi`` sends every ``/v1/`` request here and everything else to Django. It skips
Django's middleware stack (sessions, CSRF, authentication, messages: none apply to a bearer-key
API), whose sync middleware costs a thread hop each, and sends the relayed stream without
Django's per-chunk wrapping. The three POST endpoints, where the load is, are served by a bare
ASGI callable (``_serve``: the body read with ``receive``, the answer written with ``send``, a
plain asyncio task watching for the client's disconnect) — Starlette's request object,
streaming response and anyio task group were a sixth of the server's CPU a request (bench/README,
session 10). Starlette serves the rest: the model listing, unknown paths and methods, the
lifespan. The measurements are in docs/gateway.md.
"""

import asyncio
import contextlib
import json

from django.conf import settings
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from . import core, errors, pgasync


def _language(request: Request) -> str:
    return _language_of(request.headers.get("accept-language", ""))


def _language_of(accept_language: str) -> str:
    supported = {code for code, _name in settings.LANGUAGES}
    for code, _q in parse_accept_lang_header(accept_language):
        try:
            variant = translation.get_supported_language_variant(code)
        except LookupError:
            continue
        if variant in supported:
            return variant
    return settings.LANGUAGE_CODE


def _headers(request: Request) -> dict:
    return {
        "authorization": request.headers.get("authorization"),
        "x-forwarded-for": request.headers.get("x-forwarded-for"),
    }


def _peer(request: Request) -> str:
    return request.client.host if request.client else ""


def _response(reply: core.Reply) -> Response:
    """A plain answer (the listing, refusals) as Starlette's response; streams go by ``_serve``."""
    return Response(
        json.dumps(reply.body, ensure_ascii=False),
        status_code=reply.status,
        media_type="application/json",
        headers=reply.headers,
    )


async def models(request: Request) -> Response:
    with translation.override(_language(request)):
        return _response(await core.list_models(_headers(request), _peer(request)))


async def model(request: Request) -> Response:
    with translation.override(_language(request)):
        reply = await core.retrieve_model(
            _headers(request), _peer(request), request.path_params["model"]
        )
        return _response(reply)


# The POST endpoints served without Starlette (``_serve``), by path.
ENDPOINTS = {
    "/v1/chat/completions": "chat",
    "/v1/completions": "completions",
    "/v1/embeddings": "embeddings",
}
# The engine's reply adds the rest (``cache-control: no-cache``, ``x-accel-buffering: no``),
# for Django's path as for this one.
STREAM_HEADERS = [(b"content-type", b"text/event-stream; charset=utf-8")]


def _encoded(headers: dict) -> list[tuple[bytes, bytes]]:
    return [
        (name.lower().encode("latin-1"), str(value).encode("latin-1"))
        for name, value in headers.items()
    ]


async def _send_reply(send, reply: core.Reply):
    """A plain (JSON) answer of the engine."""
    body = json.dumps(reply.body, ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": reply.status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *_encoded(reply.headers),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _disconnect(receive):
    """Returns when the client has gone away (after the body, ``receive`` waits for that)."""
    while (await receive())["type"] != "http.disconnect":
        pass


async def _send_stream(send, receive, reply: core.Reply):
    await send(
        {
            "type": "http.response.start",
            "status": reply.status,
            "headers": [*STREAM_HEADERS, *_encoded(reply.headers)],
        }
    )
    gone = asyncio.ensure_future(_disconnect(receive))
    stream = reply.stream
    try:
        async for chunk in stream:
            if gone.done():
                break  # the relay reads on to the upstream's usage and charges that
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        else:
            await send({"type": "http.response.body", "body": b"", "more_body": False})
    finally:
        gone.cancel()
        await stream.aclose()


async def _serve(endpoint: str, scope, receive, send):
    """A POST to one of ``ENDPOINTS``: the body (refused beyond ``GATEWAY_MAX_BODY_BYTES``),
    the engine's answer, plain or streamed."""
    headers = {}
    for name, value in scope["headers"]:
        if name in (b"authorization", b"x-forwarded-for", b"accept-language"):
            # The first of repeated lines, as Starlette's ``headers.get`` read them.
            headers.setdefault(name.decode("latin-1"), value.decode("latin-1"))
    limit = getattr(settings, "GATEWAY_MAX_BODY_BYTES", 16 * 1024 * 1024)
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            error = errors.GatewayError(
                413,
                "request_too_large",
                f"the request body is larger than {limit} bytes",
                type_="invalid_request_error",
            )
            await _send_reply(send, core.error_reply(error))
            return
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    client = scope.get("client")
    with translation.override(_language_of(headers.get("accept-language", ""))):
        reply = await core.handle(
            endpoint,
            {
                "authorization": headers.get("authorization"),
                "x-forwarded-for": headers.get("x-forwarded-for"),
            },
            client[0] if client else "",
            b"".join(chunks),
        )
    if reply.stream is not None:
        await _send_stream(send, receive, reply)
    else:
        await _send_reply(send, reply)


class _Bare:
    """One POST endpoint as an ASGI app in Starlette's routing (which then answers 405 for its
    other methods); ``app`` reaches ``_serve`` before any routing."""

    def __init__(self, endpoint: str):
        self.endpoint = endpoint

    async def __call__(self, scope, receive, send):
        await _serve(self.endpoint, scope, receive, send)


async def not_found(request: Request, exc) -> Response:
    """Unknown paths and methods answer in OpenAI's error shape too."""
    status = getattr(exc, "status_code", 404)
    error = errors.GatewayError(
        status,
        "unknown_url" if status == 404 else "method_not_allowed",
        f"{request.method} {request.url.path} is not an endpoint of this API",
        type_="invalid_request_error",
    )
    return _response(core.error_reply(error))


@contextlib.asynccontextmanager
async def lifespan(app):
    pgasync.start()
    yield
    # The event loop's own database connections (PostgreSQL's hot path) end with the server.
    await pgasync.close()


starlette_app = Starlette(
    lifespan=lifespan,
    exception_handlers={404: not_found, 405: not_found},
    routes=[
        Route("/v1/models", models, methods=["GET"]),
        Route("/v1/models/{model:path}", model, methods=["GET"]),
        Route("/v1/chat/completions", _Bare("chat"), methods=["POST"]),
        Route("/v1/completions", _Bare("completions"), methods=["POST"]),
        Route("/v1/embeddings", _Bare("embeddings"), methods=["POST"]),
    ],
)


# A trailing slash is an unknown path (404 ``unknown_url``), not Starlette's redirect: built from
# the Host header with the scheme this app sees (http behind the TLS proxy), it sent a client
# that followed it to plain http, without an ``x-request-id``.
starlette_app.router.redirect_slashes = False


async def app(scope, receive, send):
    """The POST endpoints bare (``_serve``); everything else through Starlette."""
    if scope["type"] == "http" and scope["method"] == "POST":
        endpoint = ENDPOINTS.get(scope["path"])
        if endpoint is not None:
            await _serve(endpoint, scope, receive, send)
            return
    await starlette_app(scope, receive, send)
