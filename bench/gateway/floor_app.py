"""The floor of a Python gateway on this stack: a relay with nothing else.

    FLOOR_UPSTREAM=http://127.0.0.1:8001/v1 uvicorn floor_app:app --app-dir bench/gateway

Starlette under uvicorn (uvloop, httptools), the upstream called with the gateway's own
httpx clients (``aipower.gateway.clients``, Django-free), the answer streamed back as it comes:
no key, no database, no checks, no metering. Whatever this costs per request, the real gateway
cannot cost less; `run.py` measures it beside the gateway in the same run ("floor").
"""

import os

from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import StreamingResponse
from starlette.routing import Route

from aipower.gateway.clients import origin_of, upstream_clients

UPSTREAM = os.environ.get("FLOOR_UPSTREAM", "http://127.0.0.1:8001/v1").rstrip("/")
ORIGIN = origin_of(UPSTREAM)


async def chat(request: Request):
    clients = upstream_clients()
    client = clients.acquire(ORIGIN)
    upstream = client.build_request(
        "POST",
        UPSTREAM + "/chat/completions",
        content=await request.body(),
        headers={"content-type": "application/json"},
    )
    response = await client.send(upstream, stream=True)

    async def close():
        await response.aclose()
        clients.release(ORIGIN, client)

    return StreamingResponse(
        response.aiter_raw(),
        status_code=response.status_code,
        media_type=response.headers.get("content-type"),
        background=BackgroundTask(close),
    )


app = Starlette(routes=[Route("/v1/chat/completions", chat, methods=["POST"])])
