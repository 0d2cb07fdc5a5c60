"""The devtools commands: issue_devcard and rundemo."""

import io
import json
import re
import socket
import urllib.request

import pytest
from django.core.management import CommandError, call_command

from aipower.devtools import cards
from aipower.devtools.management.commands import rundemo

pytestmark = pytest.mark.integration


@pytest.fixture
def devca_dir(settings, tmp_path):
    settings.DEVCA_DIR = tmp_path / "devca"
    return settings.DEVCA_DIR


def test_issue_devcard_issues_a_card_for_any_company(devca_dir):
    out = io.StringIO()

    call_command("issue_devcard", "12345675", "測試科技股份有限公司", "--pin", "9999", stdout=out)

    (card,) = cards.list_cards()
    assert (card.ubn, card.name, card.serial) == (
        "12345675",
        "測試科技股份有限公司",
        "MT00000012345675",
    )
    assert card.check_pin("9999")
    assert "MT00000012345675" in out.getvalue()
    assert "9999" not in out.getvalue()


def test_issue_devcard_refuses_a_wrong_check_digit(devca_dir):
    with pytest.raises(CommandError, match="check digit"):
        call_command("issue_devcard", "12345678", "錯誤公司")

    assert cards.list_cards() == []


def test_issue_devcard_may_insist_on_a_wrong_check_digit(devca_dir):
    call_command(
        "issue_devcard", "12345678", "錯誤公司", "--allow-invalid-ubn", stdout=io.StringIO()
    )

    assert [card.ubn for card in cards.list_cards()] == ["12345678"]


def test_rundemo_serves_the_component_while_the_site_is_served(
    devca_dir, settings, monkeypatch, db
):
    settings.DEVCARD_PORT = 0
    # A free port for the mock model server, so a `make run` beside the tests does not clash.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        settings.MOCKLLM_PORT = probe.getsockname()[1]
    out = io.StringIO()
    seen = {}

    def serve(addr, port):
        # Stands in for uvicorn (tests/devtools/test_asgi.py serves the app for real): while
        # it runs, the component must answer.
        origin = re.search(r"Card component:  (\S+)", out.getvalue()).group(1)
        seen["call"] = (addr, port)
        seen["component_answers"] = component_answers(origin)

    monkeypatch.setattr(rundemo, "serve", serve)

    call_command("rundemo", "127.0.0.1:8123", stdout=out)

    banner = out.getvalue()
    assert seen == {
        "call": ("127.0.0.1", 8123),
        "component_answers": True,
    }
    assert "Site:            http://127.0.0.1:8123" in banner
    assert "1. 晴空智能股份有限公司  統一編號 84700087  卡號 MT00000084700087" in banner
    assert "5. 木棉精密工業股份有限公司  統一編號 96865468  卡號 MT00000096865468" in banner
    assert "PIN 123456" in banner
    assert "operator, reviewer1, reviewer2, reviewer3, organiser" in banner
    assert "password aipower-demo, TOTP secret JBSWY3DPEHPK3PXP" in banner
    # The code's command is the project's own (oathtool is not installed with it).
    assert "current TOTP code: .venv/bin/python manage.py demo_totp" in banner
    assert "oathtool" not in banner
    assert f"Mock model server: http://127.0.0.1:{settings.MOCKLLM_PORT}/v1" in banner


def test_site_origins_cover_both_loopback_names():
    assert rundemo.site_origins("127.0.0.1", "8000") == {
        "http://127.0.0.1:8000",
        "http://localhost:8000",
    }
    assert rundemo.site_origins("0.0.0.0", "8000") == {  # noqa: S104
        "http://127.0.0.1:8000",
        "http://localhost:8000",
    }


def test_rundemo_needs_the_development_settings(settings):
    settings.DEVTOOLS_ENABLED = False

    with pytest.raises(CommandError, match="development settings"):
        call_command("rundemo", "127.0.0.1:8123")


def component_answers(origin):
    with urllib.request.urlopen(origin + "/version", timeout=5) as response:
        return json.loads(response.read())["ret_code"] == 0


def test_demo_totp_prints_a_code_the_demo_staffs_device_accepts(db, capsys):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from aipower.accounts.models import User
    from aipower.devtools.staff import DEMO_TOTP_KEY

    user = User.objects.create_user(username="operator", role="operator")
    device = TOTPDevice.objects.create(user=user, name="demo", key=DEMO_TOTP_KEY, confirmed=True)

    call_command("demo_totp")

    code = capsys.readouterr().out.split()[0]
    assert len(code) == 6 and code.isdigit()
    assert device.verify_token(code)


def test_load_demo_help_names_the_awards_and_the_survey_it_loads():
    """`manage.py help load_demo` says what `make run` gives a newcomer beyond the call and the
    staff: the inference award with its API key, the ended training award and the survey."""
    from aipower.devtools.management.commands import load_demo

    help_text = load_demo.Command.help
    for loaded in ("山嵐資訊", "API key", "北港軟體", "ended training award", "survey"):
        assert loaded in help_text
