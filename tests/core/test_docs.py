"""The newcomer's and the operator's documents name only what exists: every environment variable
the code reads is documented, and every `manage.py` command (with its options), `make` target
and site path the documents name is real. A rename or a removal fails here instead of in a
newcomer's terminal."""

import re
from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class
from django.urls import Resolver404, resolve

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "aipower"
DOCS = [
    ROOT / "README.md",
    ROOT / "docs" / "operations.md",
    ROOT / "docs" / "architecture.md",
    ROOT / "docs" / "gateway.md",
    ROOT / "bench" / "README.md",
]
# Where a variable counts as documented: the README's production table, the operations guide
# and the gateway's settings table.
ENV_DOCS = [*DOCS[:2], ROOT / "docs" / "gateway.md"]
# Paths of the HiCOS card component on the user's machine, not of this site.
CARD_COMPONENT_PATHS = {"/popupForm", "/pkcs11info"}


FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)


def code_spans(path):
    """The text of every `…` span of a Markdown file (a span may run over a line break), and
    each line of its fenced code blocks."""
    text = path.read_text(encoding="utf-8")
    lines = [line for block in FENCE.findall(text) for line in block.splitlines()]
    return lines + re.findall(r"`([^`]+)`", FENCE.sub("", text))


def read_variables():
    """Every AIPOWER_* name the code reads: a whole string literal, as os.environ is given it."""
    names = set()
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        names.update(re.findall(r"[\"'](AIPOWER_[A-Z0-9_]+)[\"']", path.read_text("utf-8")))
    return names


def test_the_scan_finds_the_variables_it_must():
    """The scan itself works: settings' and a command's variables are found."""
    assert {"AIPOWER_SECRET_KEY", "AIPOWER_DEVCARD_PORT", "AIPOWER_STAFF_PASSWORD"} <= (
        read_variables()
    )


def test_every_environment_variable_the_code_reads_is_documented():
    documented = "\n".join(path.read_text(encoding="utf-8") for path in ENV_DOCS)
    missing = sorted(name for name in read_variables() if name not in documented)
    assert not missing, f"not in README.md, docs/operations.md or docs/gateway.md: {missing}"


def named_commands():
    """(command, its options) for every `… manage.py NAME …` span of the documents."""
    found = []
    for doc in DOCS:
        for span in code_spans(doc):
            for match in re.finditer(r"manage\.py\s+([a-z_]+)((?:\s+[^\s;)]+)*)", span):
                options = re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", match.group(2))
                found.append((str(doc.relative_to(ROOT)), match.group(1), options))
    return found


def test_the_documents_name_commands():
    assert {"load_demo", "demo_totp", "run_grant_housekeeping", "import_tax_registry"} <= {
        name for _doc, name, _options in named_commands()
    }


def test_every_management_command_the_documents_name_exists_with_its_options():
    commands = get_commands()
    problems = []
    for doc, name, options in named_commands():
        if name not in commands:
            problems.append(f"{doc}: manage.py {name} does not exist")
            continue
        parser = load_command_class(commands[name], name).create_parser("manage.py", name)
        for option in options:
            if option not in parser._option_string_actions:
                problems.append(f"{doc}: manage.py {name} has no {option}")
    assert not problems, "\n".join(problems)


def test_every_make_target_the_documents_name_exists():
    targets = set(re.findall(r"^([a-z][\w-]*):", (ROOT / "Makefile").read_text(), re.MULTILINE))
    named = {
        (str(doc.relative_to(ROOT)), target)
        for doc in DOCS
        for span in code_spans(doc)
        for target in re.findall(r"(?:^|\s)make\s+([a-z]+)", span)
    }
    assert {target for _doc, target in named} >= {"run", "test"}
    missing = sorted(f"{doc}: make {target}" for doc, target in named if target not in targets)
    assert not missing, missing


def named_paths():
    """Every site path the documents name as a span of its own (`/keys/guide/`,
    `GET /v1/models`), with a sample value for each <parameter>."""
    paths = set()
    for doc in DOCS[:4]:  # bench/README.md names files (/proc, /tmp), not pages
        for span in code_spans(doc):
            match = re.fullmatch(r"(?:(?:GET|POST) )?(/[^\s?#]*)(?:[?#]\S*)?", span.strip())
            if match is None:
                continue
            path = match.group(1)
            if path in CARD_COMPONENT_PATHS or path.startswith("/usr/") or "…" in path:
                continue
            if path in {"/v1", "/v1/"}:  # the API's base URL, not an endpoint
                continue
            paths.add((str(doc.relative_to(ROOT)), re.sub(r"<[^>]+>|\{[^}]+\}", "1", path)))
    return paths


def test_every_site_path_the_documents_name_is_served():
    paths = named_paths()
    assert {"/staff/compliance/pledges/", "/keys/guide/", "/readyz"} <= {p for _d, p in paths}
    unresolved = []
    for doc, path in sorted(paths):
        try:
            resolve(path)
        except Resolver404:
            unresolved.append(f"{doc}: {path}")
    assert not unresolved, unresolved


def test_every_test_module_is_marked():
    """docs/architecture.md: every test file is marked unit, integration or e2e (the browser
    tests by tests/e2e/conftest.py)."""
    tests = ROOT / "tests"
    unmarked = [
        str(path.relative_to(ROOT))
        for path in sorted(tests.rglob("test_*.py"))
        if "e2e" not in path.relative_to(tests).parts[:1]
        and not re.search(r"pytest\.mark\.(unit|integration|e2e)\b", path.read_text("utf-8"))
    ]
    assert not unmarked, unmarked


def test_every_notice_kind_is_listed_in_the_architecture():
    """docs/architecture.md, "Notices", names every kind of mail the notice store holds."""
    from aipower.core import notices

    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = text[text.index("## Notices") :]
    named = set(re.findall(r"`([a-z0-9_]+)`", section))
    assert "application_submitted" in notices.DEFAULT_TEMPLATES
    missing = sorted(set(notices.DEFAULT_TEMPLATES) - named)
    assert not missing, f"notice kinds not in docs/architecture.md's Notices: {missing}"


def test_every_app_is_in_the_readme_layout_and_the_architecture_table():
    from django.conf import settings

    apps = [name.split(".")[1] for name in settings.INSTALLED_APPS if name.startswith("aipower.")]
    assert "devtools" in apps  # the test settings install it, as make run does
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme[readme.index("## Layout") :]
    architecture = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| `(\w+)` \|", architecture, re.MULTILINE))
    missing = [app for app in apps if not re.search(rf"\b{app}\b", layout) or app not in rows]
    assert not missing, f"apps missing from README's Layout or the architecture's table: {missing}"


def test_every_scheduled_job_is_in_the_operations_cron_list():
    """A command built on JobCommand is a job cron must run: docs/operations.md lists it."""
    from aipower.core.management.jobs import JobCommand

    commands = get_commands()
    jobs = sorted(
        name
        for name, app in commands.items()
        if app.startswith("aipower.") and isinstance(load_command_class(app, name), JobCommand)
    )
    assert "send_due_mails" in jobs
    operations = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    missing = [name for name in jobs if f"`python manage.py {name}" not in operations]
    assert not missing, f"scheduled jobs missing from docs/operations.md: {missing}"
