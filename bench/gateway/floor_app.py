"""The floor of a Python gateway on this stack: a relay with nothing else.

    FLOOR_UPSTREAM=http://127.0.0.1:8001/v1 uvicorn floor_app:app --app-dir bench/gateway

Starlette under uvicorn (uvloop, httptools), the upstream called with httpx exactly as the
gateway does (one-connection clients from a free list), the answer streamed back as it comes:
no key, no database, no checks, no metering. Whatever this costs per request, the real gateway
cannot cost less; `run.py` measures it beside the gateway in the same run ("floor").
"""

import os

import httpx
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import StreamingResponse
from starlette.routing import Route

UPSTREAM = os.environ.get("FLOOR_UPSTREAM", "http://127.0.0.1:8001/v1").rstrip("/")
_idle: list[httpx.AsyncClient] = []


def _client() -> httpx.AsyncClient:
    if _idle:
        return _idle.pop()
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    return httpx.AsyncClient(limits=limits, trust_env=False)


async def chat(request: Request):
    client = _client()
    upstream = client.build_request(
        "POST",
        UPSTREAM + "/chat/completions",
        content=await request.body(),
        headers={"content-type": "application/json"},
    )
    response = await client.send(upstream, stream=True)

    async def close():
        await response.aclose()
        _idle.append(client)

    return StreamingResponse(
        response.aiter_raw(),
        status_code=response.status_code,
        media_type=response.headers.get("content-type"),
        background=BackgroundTask(close),
    )


app = Starlette(routes=[Route("/v1/chat/completions", chat, methods=["POST"])])
