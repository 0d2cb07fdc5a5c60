"""Every action the code base records in the audit log has a readable name (the scan fails for
a new ``audit.record("x.y", …)`` without one); unknown codes are shown as they are."""

import ast
from pathlib import Path

import pytest
from django.utils import translation

from aipower.core.audit_labels import ACTION_LABELS, action_label

pytestmark = pytest.mark.unit

SRC = Path(__file__).resolve().parents[2] / "src" / "aipower"
# Calls that pass an action code on to audit.record: the code is their first string argument.
RECORDING_CALLS = {"record", "_record", "_audit_view"}


def _string_constants(nodes):
    return [n.value for n in nodes if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def recorded_codes():
    """The literal action codes of the source tree: the first string argument of a recording
    call, and the strings assigned to a variable named ``action`` (passed on later)."""
    codes = {}
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            found = []
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in RECORDING_CALLS:
                    found = _string_constants(node.args)[:1]
            elif isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "action" for t in node.targets
            ):
                found = _string_constants([node.value])
            for code in found:
                codes.setdefault(code, f"{path.relative_to(SRC)}:{node.lineno}")
    return codes


def test_recorded_codes_found_by_the_scan():
    codes = recorded_codes()

    # One of each way a code reaches audit.record: directly, through a helper, through a variable.
    assert {"review.batch_frozen", "review.application_viewed", "admin.add", "staff.created"} <= (
        set(codes)
    )


def test_every_recorded_code_has_a_label():
    missing = {code: where for code, where in recorded_codes().items() if code not in ACTION_LABELS}

    assert missing == {}, "add these to aipower.core.audit_labels.ACTION_LABELS (and English)"


def test_action_label_in_both_languages():
    with translation.override("zh-hant"):
        zh = str(action_label("review.batch_frozen"))
    with translation.override("en"):
        en = str(action_label("review.batch_frozen"))

    assert (zh, en) == ("凍結梯次", "Batch frozen")


def test_action_label_unknown_code_is_the_code():
    assert action_label("old.renamed_action") == "old.renamed_action"
