"""README's inference-API examples work against `make run`'s demo: the key they send is the demo
key, and every model they name is one the demo key may call."""

import re
from pathlib import Path

import pytest

from aipower.devtools.demo_grants import DEMO_KEY, load_demo_grants
from aipower.gateway.core import allowed_routes

pytestmark = pytest.mark.integration

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_api_examples_use_the_demo_key_and_a_model_it_may_call(call_115):
    text = README.read_text(encoding="utf-8")
    models = set(re.findall(r"""model["']?\s*[:=]\s*["']([^"']+)["']""", text))
    keys = set(re.findall(r"sk-aipower-[\w-]+", text))
    assert models, "README names no model in its API examples"

    award = load_demo_grants()

    assert keys == {DEMO_KEY}
    assert models <= set(allowed_routes(award)), models - set(allowed_routes(award))


@pytest.mark.unit
def test_readme_demo_table_lists_the_demo_cards_and_their_pin():
    from aipower.devtools.cards import DEMO_COMPANIES, DEMO_PIN

    text = README.read_text(encoding="utf-8")
    table = set(re.findall(r"^\| (\S+) \| (\d{8}) \|", text, re.MULTILINE))
    assert table == {(name, ubn) for ubn, name in DEMO_COMPANIES}
    assert f"Every card's PIN is `{DEMO_PIN}`" in text


@pytest.mark.unit
def test_readme_staff_table_matches_the_demo_staff():
    from aipower.devtools.staff import DEMO_PASSWORD, DEMO_STAFF, DEMO_TOTP_SECRET

    text = README.read_text(encoding="utf-8")
    for username, _role, _name in DEMO_STAFF:
        assert f"`{username}`" in text
    assert text.count(f"`{DEMO_PASSWORD}`") >= 3  # one per row of the staff table
    assert text.count(f"`{DEMO_TOTP_SECRET}`") >= 3
