"""The development server's ASGI app (``manage.py rundemo``) under uvicorn: static files and the
site through Django, ``/v1`` through the gateway's lean app."""

from pathlib import Path

import httpx
import pytest

from aipower.devtools.asgi import application
from tests.gateway.conftest import ThreadedServer

pytestmark = pytest.mark.integration

STYLESHEET = Path(__file__).parents[2] / "src/aipower/core/static/core/css/site.css"


@pytest.fixture
def site_url(transactional_db):
    server = ThreadedServer(application).start()
    yield f"http://127.0.0.1:{server.port}"
    server.stop()


def test_rundemo_app_serves_static_files(site_url):
    response = httpx.get(f"{site_url}/static/core/css/site.css", trust_env=False)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/css")
    assert response.content == STYLESHEET.read_bytes()


def test_rundemo_app_serves_the_site_through_django(site_url):
    response = httpx.get(f"{site_url}/", trust_env=False)

    assert response.status_code == 200
    # Django's middleware stack answered (the lean gateway app sets no CSP).
    assert "script-src 'self'" in response.headers["content-security-policy"]


def test_rundemo_app_serves_v1_through_the_lean_gateway(site_url):
    response = httpx.post(
        f"{site_url}/v1/chat/completions",
        json={"model": "x", "messages": []},
        headers={"Authorization": "Bearer sk-not-a-key"},
        trust_env=False,
    )

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_api_key"
    assert "content-security-policy" not in response.headers
