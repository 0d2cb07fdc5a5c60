"""A mock OpenAI-compatible model server for development, tests and benchmarks.

``PYTHONPATH=src .venv/bin/python -m aipower.devtools.mockllm --port 8001 [--latency-ms 20]
[--tokens 64] [--token-delay-ms 0]`` (from the repository root; ``make run`` starts it itself)

- ``GET /v1/models``, ``POST /v1/chat/completions``, ``/v1/completions``, ``/v1/embeddings``;
  streaming (SSE) and not. A stream ends with a usage chunk when ``stream_options.include_usage``
  is set, and carries usage in every chunk with ``continuous_usage_stats`` (as vLLM does).
- Tokens are whitespace-separated words: the prompt's count is deterministic, the answer is
  ``min(max_tokens, --tokens)`` words ("tok0 tok1 …"), one word per chunk.
- As the real servers do: ``n`` choices per prompt, and on ``/v1/completions`` a list of prompts
  (strings or token arrays) answered prompt by prompt (choice ``index`` = prompt × n + choice),
  the usage counting every prompt and every choice; streamed, the chunks of the choices
  interleave, each with its ``index``. Embeddings answer ``encoding_format: "base64"`` with the
  vector as little-endian float32 bytes in base64.
- ``--latency-ms`` is waited before the first token; ``--token-delay-ms`` between tokens.
- Errors on demand, by model name or by the ``X-Mock-Fail`` header: ``mock-error-500`` (or
  header ``500``) answers 500; ``mock-timeout`` (``timeout``) never answers in time;
  ``mock-midstream`` (``midstream``) drops the connection after a few streamed tokens;
  ``mock-error-event`` (``error-event``) sends, after a few streamed tokens, an SSE error event
  ``data: {"error": {…}}`` and ``[DONE]``, without usage, as vLLM does when generation fails
  inside a 200 stream (a request that does not stream is answered as usual).
- Per-request overrides: header ``X-Mock-Tokens`` (answer length), ``X-Mock-Latency-Ms``.
"""

import argparse
import asyncio
import base64
import json
import struct
import threading
import time
import uuid

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, StreamingResponse
from starlette.routing import Route

DEFAULT_MODELS = ("mock-small", "mock-large", "mock-embed")
EMBEDDING_DIMENSIONS = 8
# The error event of ``error-event``, in vLLM's shape.
STREAM_ERROR = {
    "error": {
        "message": "mock error during generation",
        "type": "InternalServerError",
        "param": None,
        "code": 500,
    }
}


class Settings:
    def __init__(self, latency_ms=20.0, token_delay_ms=0.0, tokens=64, models=DEFAULT_MODELS):
        self.latency_ms = latency_ms
        self.token_delay_ms = token_delay_ms
        self.tokens = tokens
        self.models = list(models)
        # For tests: how many requests were served, and the last request body received.
        self.requests = 0
        self.last_payload = None


def count_tokens(value) -> int:
    """Words in every string of a JSON value (the mock's tokenizer)."""
    if isinstance(value, str):
        return len(value.split())
    if isinstance(value, dict):
        return sum(count_tokens(item) for item in value.values())
    if isinstance(value, list):
        if value and all(isinstance(item, int) for item in value):
            return len(value)
        return sum(count_tokens(item) for item in value)
    return 0


def prompts_of(prompt) -> list:
    """A completion request's prompts: a list of strings or of token arrays is a batch; a string
    or one token array is one prompt."""
    if isinstance(prompt, list) and prompt and all(isinstance(p, (str, list)) for p in prompt):
        return prompt
    return [prompt or ""]


def _failure(request: Request, model: str) -> str | None:
    header = request.headers.get("x-mock-fail")
    if header:
        return header
    for kind in ("500", "timeout", "midstream", "error-event"):
        if model == f"mock-{'error-' if kind == '500' else ''}{kind}":
            return kind
    return None


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings()

    async def models(request):
        data = [
            {"id": m, "object": "model", "created": 0, "owned_by": "mock"} for m in settings.models
        ]
        return JSONResponse({"object": "list", "data": data})

    async def completion(request: Request):
        payload = await request.json()
        settings.requests += 1
        settings.last_payload = payload
        chat = request.url.path.endswith("/chat/completions")
        model = payload.get("model", "mock")
        failure = _failure(request, model)
        latency = float(request.headers.get("x-mock-latency-ms", settings.latency_ms)) / 1000
        if failure == "500":
            return JSONResponse({"error": {"message": "mock failure", "type": "server_error"}}, 500)
        if failure == "timeout":
            await asyncio.sleep(3600)
        if chat:
            messages = payload.get("messages") or []
            prompts = [messages]
            prompt_tokens = count_tokens(messages) + 3 * len(messages)
        else:
            prompts = prompts_of(payload.get("prompt"))
            prompt_tokens = sum(count_tokens(prompt) for prompt in prompts)
        choices = len(prompts) * (payload.get("n") or 1)
        limit = payload.get("max_completion_tokens") or payload.get("max_tokens")
        length = int(request.headers.get("x-mock-tokens", settings.tokens))
        n_tokens = min(length, limit) if limit else length
        words = [f"tok{i}" for i in range(n_tokens)]
        finish = "length" if limit is not None and limit <= length else "stop"
        ident = ("chatcmpl-" if chat else "cmpl-") + uuid.uuid4().hex[:24]
        created = int(time.time())
        kind = "chat.completion" if chat else "text_completion"

        def usage(completion_tokens):
            return {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            }

        if not payload.get("stream"):
            await asyncio.sleep(latency + settings.token_delay_ms * n_tokens / 1000)
            text = " ".join(words)
            if chat:
                answers = [
                    {
                        "index": index,
                        "message": {"role": "assistant", "content": text},
                        "finish_reason": finish,
                    }
                    for index in range(choices)
                ]
            else:
                answers = [
                    {"index": index, "text": text, "finish_reason": finish, "logprobs": None}
                    for index in range(choices)
                ]
            body = {
                "id": ident,
                "object": kind,
                "created": created,
                "model": model,
                "choices": answers,
                "usage": usage(n_tokens * choices),
            }
            return JSONResponse(body)

        options = payload.get("stream_options") or {}
        include_usage = bool(options.get("include_usage"))
        continuous = bool(options.get("continuous_usage_stats"))
        sent = 0  # completion tokens streamed so far, over every choice

        def chunk(index, word, finish_reason=None, choice=0):
            nonlocal sent
            text = (" " if index else "") + word if word is not None else ""
            if chat:
                delta = {"content": text} if word is not None else {}
                if index == 0 and word is not None:
                    delta["role"] = "assistant"
                answer = {"index": choice, "delta": delta, "finish_reason": finish_reason}
            else:
                answer = {
                    "index": choice,
                    "text": text,
                    "finish_reason": finish_reason,
                    "logprobs": None,
                }
            event = {
                "id": ident,
                "object": f"{kind}.chunk" if chat else kind,
                "created": created,
                "model": model,
                "choices": [answer],
            }
            if word is not None:
                sent += 1
            if continuous:
                event["usage"] = usage(sent)
            elif include_usage:
                event["usage"] = None
            return f"data: {json.dumps(event)}\n\n"

        def ends():
            return [chunk(n_tokens, None, finish, choice) for choice in range(choices)]

        async def events():
            await asyncio.sleep(latency)
            if not settings.token_delay_ms and failure not in ("midstream", "error-event"):
                # No pacing asked for: one write with every event, so that the mock is cheap
                # enough not to be the bottleneck of a benchmark.
                batch = [
                    chunk(index, word, choice=choice)
                    for index, word in enumerate(words)
                    for choice in range(choices)
                ]
                yield "".join([*batch, *ends()])
            else:
                for index, word in enumerate(words):
                    if failure == "midstream" and index == 3:
                        raise ConnectionError("mock mid-stream failure")
                    if failure == "error-event" and index == 3:
                        yield f"data: {json.dumps(STREAM_ERROR)}\n\n"
                        yield "data: [DONE]\n\n"
                        return
                    if settings.token_delay_ms:
                        await asyncio.sleep(settings.token_delay_ms / 1000)
                    yield "".join(chunk(index, word, choice=choice) for choice in range(choices))
                yield "".join(ends())
            if include_usage:
                final = {
                    "id": ident,
                    "object": f"{kind}.chunk" if chat else kind,
                    "created": created,
                    "model": model,
                    "choices": [],
                    "usage": usage(n_tokens * choices),
                }
                yield f"data: {json.dumps(final)}\n\n"
            yield "data: [DONE]\n\n"

        return StreamingResponse(events(), media_type="text/event-stream")

    async def embeddings(request: Request):
        payload = await request.json()
        settings.requests += 1
        settings.last_payload = payload
        model = payload.get("model", "mock-embed")
        failure = _failure(request, model)
        if failure == "500":
            return JSONResponse({"error": {"message": "mock failure", "type": "server_error"}}, 500)
        if failure == "timeout":
            await asyncio.sleep(3600)
        await asyncio.sleep(settings.latency_ms / 1000)
        inputs = payload.get("input")
        if isinstance(inputs, str) or (inputs and isinstance(inputs[0], int)):
            inputs = [inputs]
        data = []
        as_base64 = payload.get("encoding_format") == "base64"
        for index, item in enumerate(inputs or []):
            seed = count_tokens(item)
            vector = [((seed + i) % 7) / 7 for i in range(EMBEDDING_DIMENSIONS)]
            if as_base64:
                packed = struct.pack(f"<{len(vector)}f", *vector)
                vector = base64.b64encode(packed).decode("ascii")
            data.append({"object": "embedding", "index": index, "embedding": vector})
        tokens = count_tokens(inputs or [])
        return JSONResponse(
            {
                "object": "list",
                "data": data,
                "model": model,
                "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
            }
        )

    app = Starlette(
        routes=[
            Route("/v1/models", models, methods=["GET"]),
            Route("/v1/chat/completions", completion, methods=["POST"]),
            Route("/v1/completions", completion, methods=["POST"]),
            Route("/v1/embeddings", embeddings, methods=["POST"]),
        ]
    )
    app.state.mock = settings
    return app


class MockServer:
    """The mock server in a background thread (``make run``, tests)."""

    def __init__(self, host="127.0.0.1", port=8001, settings: Settings | None = None):
        self.settings = settings or Settings()
        self.app = create_app(self.settings)
        config = uvicorn.Config(
            self.app, host=host, port=port, log_level="warning", lifespan="off", access_log=False
        )
        self.server = uvicorn.Server(config)
        self.host, self.port = host, port
        self.thread = threading.Thread(target=self.server.run, name="mockllm", daemon=True)

    @property
    def base_url(self):
        return f"http://{self.host}:{self.port}/v1"

    def start(self, timeout=10.0):
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise OSError(f"the mock model server could not listen on {self.host}:{self.port}")
            time.sleep(0.01)
        return self

    def stop(self):
        self.server.should_exit = True
        self.thread.join(timeout=5)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Mock OpenAI-compatible model server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--latency-ms", type=float, default=20.0, help="wait before the answer")
    parser.add_argument("--token-delay-ms", type=float, default=0.0, help="wait between tokens")
    parser.add_argument("--tokens", type=int, default=64, help="answer length in tokens")
    args = parser.parse_args(argv)
    settings = Settings(args.latency_ms, args.token_delay_ms, args.tokens)
    uvicorn.run(
        create_app(settings), host=args.host, port=args.port, log_level="warning", access_log=False
    )


if __name__ == "__main__":
    main()
