"""Fixtures: the mock model server and the gateway (Django's ASGI app under uvicorn), each in a
thread on a loopback port, and an inference award with a key."""

import concurrent.futures
import datetime
import gc
import socket
import threading
import time

import pytest
import uvicorn
from django.utils import timezone


def in_own_thread(function, *args):
    """``function(*args)`` in a thread of its own, its result or its exception: for
    ``asyncio.run`` and the like, since the browser tests' Playwright keeps an event loop
    running in the main thread for the whole session."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args).result()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ThreadedServer:
    def __init__(self, app):
        self.port = free_port()
        config = uvicorn.Config(
            app,
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            lifespan="on",
            proxy_headers=False,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self):
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.01)
        return self

    def stop(self):
        self.server.should_exit = True
        self.thread.join(timeout=5)


@pytest.fixture(scope="session")
def mock_llm():
    from aipower.devtools.mockllm import MockServer, Settings

    server = MockServer(port=free_port(), settings=Settings(latency_ms=0, tokens=64)).start()
    yield server
    server.stop()


@pytest.fixture(scope="session", params=["lean", "django"])
def gateway_url(request):
    """The site's ASGI application under uvicorn: /v1 through the lean app (production) and,
    for comparison, all of it through Django's ASGI handler (the gateway's async views)."""
    from aipower import asgi

    if request.param == "lean":
        app = asgi.application
    else:

        async def app(scope, receive, send):
            # Django's handler does not speak lifespan; the gateway's closes its connections.
            target = asgi.gateway_application if scope["type"] == "lifespan" else None
            await (target or asgi.django_application)(scope, receive, send)

    server = ThreadedServer(app).start()
    yield f"http://127.0.0.1:{server.port}/v1"
    server.stop()
    # The server's worker threads are gone; their database connections go with them once
    # collected (otherwise PostgreSQL still counts them when the test database is dropped).
    gc.collect()


@pytest.fixture
def token_delay(mock_llm):
    """``token_delay(ms)``: the mock pauses between tokens (one write each) for this test."""

    def set_delay(milliseconds):
        mock_llm.settings.token_delay_ms = milliseconds

    yield set_delay
    mock_llm.settings.token_delay_ms = 0


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    from aipower.gateway.core import rate_limiter

    rate_limiter.reset()
    yield
    rate_limiter.reset()


@pytest.fixture
def company(transactional_db):
    from aipower.accounts.models import Company

    return Company.objects.create(ubn="52880483", name="山嵐資訊有限公司")


@pytest.fixture
def seeded_call(transactional_db):
    from aipower.calls.seed import seed_call

    return seed_call(115)


@pytest.fixture
def inference_models(seeded_call):
    """Two routable catalogue models: the award gets the first only."""
    return list(seeded_call.models.filter(offered_inference=True).order_by("order")[:2])


@pytest.fixture
def upstream(transactional_db, mock_llm):
    from aipower.gateway.services import upstream

    return upstream("mock", mock_llm.base_url, timeout=5)


@pytest.fixture
def award(company, seeded_call, inference_models, upstream):
    from aipower.devtools.demo_grants import grant_inference_award
    from aipower.gateway.services import route_model

    for model in inference_models:
        route_model(model, upstream)
    today = timezone.localdate()
    return grant_inference_award(
        company,
        seeded_call,
        points=1000,
        models=inference_models[:1],
        starts_on=today - datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=90),
    )


@pytest.fixture
def model_id(inference_models):
    from aipower.gateway.core import public_model_id

    return public_model_id(inference_models[0])


@pytest.fixture
def api_key(company, award):
    from aipower.gateway.services import create_key

    _key, secret = create_key(company, award, "測試金鑰")
    return secret


@pytest.fixture
def client(gateway_url, api_key):
    from openai import OpenAI

    with OpenAI(base_url=gateway_url, api_key=api_key, max_retries=0, timeout=10) as client:
        yield client


def allowance_of(award):
    from aipower.grants.models import Allowance

    return Allowance.objects.get(award=award)
