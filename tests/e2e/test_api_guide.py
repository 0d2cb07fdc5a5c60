"""Browser: the company goes from its API keys to the API guide, which lists the model its award
may call, reads at 375 px without the page scrolling sideways (the examples scroll in their own
box), and has no accessibility violations."""

import pytest
from playwright.sync_api import expect

from aipower.calls.enums import CategoryKind
from aipower.gateway.core import public_model_id
from aipower.gateway.services import route_model, upstream
from aipower.grants import services
from tests.e2e.accessibility import axe_findings
from tests.e2e.test_usage import _sign_in
from tests.grants.conftest import make_award

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def routed_award(call_115):
    award = make_award(call_115, "12345675", CategoryKind.INFERENCE)
    services.open_allowance(award)
    server = upstream("mock", "http://127.0.0.1:9/v1")  # never called: the page only reads
    for model in award.allowed_models.all():
        route_model(model, server)
    return award


def test_the_api_guide_from_the_key_list(page, live_server, routed_award):
    model_id = public_model_id(routed_award.allowed_models.first())
    _sign_in(page, live_server, routed_award.company)

    page.goto(f"{live_server.url}/keys/")
    page.get_by_role("link", name="API 使用說明：可使用的模型、呼叫範例、計費與錯誤代碼").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API 使用說明")
    expect(page.locator(".guide-models code").first).to_have_text(model_id)
    expect(page.locator("pre.guide-code").first).to_contain_text(f'"model": "{model_id}"')
    findings = axe_findings(page)

    page.set_viewport_size({"width": 375, "height": 800})
    sideways = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")

    assert findings == []
    assert sideways is False
