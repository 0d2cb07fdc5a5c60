"""公告名單 across programme years: each call's published results stay listed, newest year first."""

import pytest
from django.urls import reverse

from tests.applications.conftest import make_company_user
from tests.applications.two_calls import awarded_application, close, seed_next_call

pytestmark = pytest.mark.integration


@pytest.fixture
def published_115(call_115):
    user = make_company_user("04595257", "甲智能股份有限公司")
    app = awarded_application(call_115, user)
    close(call_115)
    return app


def results(client):
    return client.get(reverse("public:results")).content.decode()


@pytest.mark.parametrize("is_open", [False, True], ids=["116-not-open", "116-open"])
def test_results_keep_earlier_calls_list_after_next_call_is_seeded(
    client, published_115, monkeypatch, is_open
):
    seed_next_call(monkeypatch, is_open=is_open)

    html = results(client)

    assert "<td>甲智能股份有限公司</td><td>L2</td>" in html
    assert "115年度 公告名單" in html
    assert "116年度 公告名單" not in html
    assert "目前尚未公布審查結果名單" not in html


def test_results_list_the_newest_calls_results_first(client, published_115, monkeypatch):
    call_116 = seed_next_call(monkeypatch, is_open=True)
    awarded_application(call_116, make_company_user("10458575", "乙資訊有限公司"), tier="L1")

    html = results(client)

    assert html.index("116年度 公告名單") < html.index("115年度 公告名單")
    assert html.index("乙資訊有限公司") < html.index("115年度 公告名單")
    assert html.index("甲智能股份有限公司") > html.index("115年度 公告名單")


def test_results_say_nothing_is_published_while_no_call_published(client, call_115, monkeypatch):
    seed_next_call(monkeypatch, is_open=False)

    html = results(client)

    assert "目前尚未公布審查結果名單" in html
    assert "年度 公告名單" not in html
