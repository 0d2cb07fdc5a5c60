"""``/v1`` as a lean ASGI application (Starlette) beside Django, sharing the same engine.

``aipower.asgi`` sends every ``/v1/`` request here and everything else to Django. It skips
Django's middleware stack (sessions, CSRF, authentication, messages: none apply to a bearer-key
API), whose sync middleware costs a thread hop each, and sends the relayed stream without
Django's per-chunk wrapping. The measurements are in docs/gateway.md.
"""

import contextlib
import json

from django.conf import settings
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from . import core, errors, pgasync


def _language(request: Request) -> str:
    supported = {code for code, _name in settings.LANGUAGES}
    for code, _q in parse_accept_lang_header(request.headers.get("accept-language", "")):
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
    if reply.stream is not None:
        headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no", **reply.headers}
        return StreamingResponse(reply.stream, media_type="text/event-stream", headers=headers)
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


def _endpoint(name):
    async def view(request: Request) -> Response:
        limit = getattr(settings, "GATEWAY_MAX_BODY_BYTES", 16 * 1024 * 1024)
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                error = errors.GatewayError(
                    413,
                    "request_too_large",
                    f"the request body is larger than {limit} bytes",
                    type_="invalid_request_error",
                )
                return _response(core.error_reply(error))
            chunks.append(chunk)
        body = b"".join(chunks)
        with translation.override(_language(request)):
            reply = await core.handle(name, _headers(request), _peer(request), body)
        return _response(reply)

    return view


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


app = Starlette(
    lifespan=lifespan,
    exception_handlers={404: not_found, 405: not_found},
    routes=[
        Route("/v1/models", models, methods=["GET"]),
        Route("/v1/models/{model:path}", model, methods=["GET"]),
        Route("/v1/chat/completions", _endpoint("chat"), methods=["POST"]),
        Route("/v1/completions", _endpoint("completions"), methods=["POST"]),
        Route("/v1/embeddings", _endpoint("embeddings"), methods=["POST"]),
    ],
)
