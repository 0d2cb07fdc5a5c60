"""``/v1`` as async Django views: thin adapters around :mod:`aipower.gateway.core`.

They work under ASGI (uvicorn: true streaming, disconnects detected) and under runserver's WSGI
(Django runs them with ``async_to_sync``; a stream is then sent once complete).
"""

import json

from django.core.handlers.asgi import ASGIRequest
from django.http import HttpResponse, HttpResponseNotAllowed, StreamingHttpResponse
from django.views.decorators.csrf import csrf_exempt

from . import core


def _headers(request) -> dict:
    return {
        "authorization": request.META.get("HTTP_AUTHORIZATION"),
        "x-forwarded-for": request.META.get("HTTP_X_FORWARDED_FOR"),
    }


async def to_response(reply: core.Reply, request):
    if reply.stream is not None and not isinstance(request, ASGIRequest):
        # Under WSGI (runserver) the view's event loop ends when it returns: relay the whole
        # stream here, then send it.
        events = [event async for event in reply.stream]
        response = HttpResponse(b"".join(events), content_type="text/event-stream")
    elif reply.stream is not None:
        response = StreamingHttpResponse(reply.stream, content_type="text/event-stream")
    else:
        response = HttpResponse(
            json.dumps(reply.body, ensure_ascii=False),
            status=reply.status,
            content_type="application/json",
        )
    for name, value in reply.headers.items():
        response[name] = value
    return response


def _not_allowed(allowed):
    response = HttpResponseNotAllowed(allowed)
    response["x-request-id"] = core.new_request_id()
    return response


async def models(request):
    if request.method != "GET":
        return _not_allowed(["GET"])
    reply = await core.list_models(_headers(request), request.META.get("REMOTE_ADDR", ""))
    return await to_response(reply, request)


async def model(request, model):
    if request.method != "GET":
        return _not_allowed(["GET"])
    peer = request.META.get("REMOTE_ADDR", "")
    return await to_response(await core.retrieve_model(_headers(request), peer, model), request)


def _endpoint(name):
    @csrf_exempt
    async def view(request):
        if request.method != "POST":
            return _not_allowed(["POST"])
        reply = await core.handle(
            name, _headers(request), request.META.get("REMOTE_ADDR", ""), request.body
        )
        return await to_response(reply, request)

    view.__name__ = f"{name}_view"
    return view


chat_completions = _endpoint("chat")
completions = _endpoint("completions")
embeddings = _endpoint("embeddings")
