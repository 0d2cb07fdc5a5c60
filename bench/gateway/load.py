"""Load generator for any OpenAI-compatible base URL (the mock upstream or the gateway).

    .venv/bin/python bench/gateway/load.py --base-url http://127.0.0.1:8000/v1 \\
        --key sk-aipower-demo-0000000000000000 --model taide/Llama-3.1-TAIDE-LX-8B-Chat \\
        --concurrency 1 16 64 --seconds 5 [--no-stream]

Each of N clients sends chat completions back to back for the given time (streamed by default,
read to the end). Prints one JSON line per concurrency: requests/s, p50/p99 latency (ms), errors.
"""

import argparse
import asyncio
import json
import statistics
import time

import httpx

MESSAGES = [{"role": "user", "content": "Write a short poem about Taipei in the rain."}]


def percentile(values, q):
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


async def one_request(client, url, key, model, stream, max_tokens):
    body = {"model": model, "messages": MESSAGES, "stream": stream, "max_tokens": max_tokens}
    headers = {"Authorization": f"Bearer {key}"}
    started = time.perf_counter()
    if stream:
        async with client.stream("POST", url, json=body, headers=headers) as response:
            async for _line in response.aiter_lines():
                pass
            status = response.status_code
    else:
        response = await client.post(url, json=body, headers=headers)
        status = response.status_code
    return status, time.perf_counter() - started


async def run_level(base_url, key, model, concurrency, seconds, stream, max_tokens):
    """``concurrency`` clients, each with its own connection (an httpx client of one connection:
    httpcore 1.0.9's pool costs grow with its connection count, encode/httpcore#1035, so one
    shared pool of 64 made the load generator itself the bottleneck)."""
    url = base_url.rstrip("/") + "/chat/completions"
    latencies, statuses = [], {}
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    clients = [
        httpx.AsyncClient(limits=limits, timeout=60, trust_env=False) for _ in range(concurrency)
    ]
    try:
        # Warm up the connections.
        await asyncio.gather(
            *(one_request(client, url, key, model, stream, max_tokens) for client in clients)
        )
        deadline = time.perf_counter() + seconds

        async def worker(client):
            while time.perf_counter() < deadline:
                try:
                    status, latency = await one_request(client, url, key, model, stream, max_tokens)
                except httpx.HTTPError:
                    status, latency = "transport", None
                statuses[status] = statuses.get(status, 0) + 1
                if status == 200:
                    latencies.append(latency)

        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for client in clients))
        elapsed = time.perf_counter() - started
    finally:
        await asyncio.gather(*(client.aclose() for client in clients))
    ok = statuses.get(200, 0)
    return {
        "concurrency": concurrency,
        "requests": sum(statuses.values()),
        "ok": ok,
        "errors": {str(k): v for k, v in statuses.items() if k != 200},
        "rps": round(ok / elapsed, 1),
        "p50_ms": round(percentile(latencies, 50) * 1000, 1) if latencies else None,
        "p99_ms": round(percentile(latencies, 99) * 1000, 1) if latencies else None,
        "mean_ms": round(statistics.fmean(latencies) * 1000, 1) if latencies else None,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--key", default="none")
    parser.add_argument("--model", required=True)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 16, 64])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--max-tokens", type=int, default=64)
    parser.add_argument("--no-stream", action="store_true")
    args = parser.parse_args(argv)
    for concurrency in args.concurrency:
        result = asyncio.run(
            run_level(
                args.base_url,
                args.key,
                args.model,
                concurrency,
                args.seconds,
                not args.no_stream,
                args.max_tokens,
            )
        )
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
