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
