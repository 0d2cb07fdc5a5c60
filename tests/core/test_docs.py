"""The newcomer's and the operator's documents name only what exists: every environment variable
the code reads is documented (with the default the code has), and every environment variable,
`manage.py` command (with its options), `make` target, site path, repository file, Python name
and migration the documents name is real. A rename or a removal fails here instead of in a
newcomer's terminal."""

import ast
import importlib
import re
from pathlib import Path, PurePosixPath

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
    """Every AIPOWER_* name the code and the tests read: a whole string literal, as os.environ
    is given it."""
    names = set()
    for path in [*SRC.rglob("*.py"), *(ROOT / "tests").rglob("*.py")]:
        if "migrations" in path.parts:
            continue
        names.update(re.findall(r"[\"'](AIPOWER_[A-Z0-9_]+)[\"']", path.read_text("utf-8")))
    return names


def test_the_scan_finds_the_variables_it_must():
    """The scan itself works: settings', a command's and the browser tests' variables are found."""
    assert {
        "AIPOWER_SECRET_KEY",
        "AIPOWER_DEVCARD_PORT",
        "AIPOWER_STAFF_PASSWORD",
        "AIPOWER_CHROMIUM",
    } <= read_variables()


def test_every_environment_variable_the_code_reads_is_documented():
    documented = "\n".join(path.read_text(encoding="utf-8") for path in ENV_DOCS)
    missing = sorted(name for name in read_variables() if name not in documented)
    assert not missing, f"not in README.md, docs/operations.md or docs/gateway.md: {missing}"


def named_variables():
    """(document, name) for every AIPOWER_* name the documents write; `AIPOWER_EMAIL_*` is the
    prefix AIPOWER_EMAIL_."""
    return {
        (str(doc.relative_to(ROOT)), name)
        for doc in DOCS
        for name in re.findall(r"AIPOWER_[A-Z0-9_]+", doc.read_text(encoding="utf-8"))
    }


def test_every_environment_variable_the_documents_name_is_read():
    """A variable renamed or dropped in the code is not left in the documents, where an operator
    would set it to no effect. Read: a string literal of the code, the tests or the benchmarks
    (not a comment), or named by the API guide's template or the Makefile."""
    used = read_variables()
    for path in (ROOT / "bench").rglob("*.py"):
        used.update(re.findall(r"[\"'](AIPOWER_[A-Z0-9_]+)[\"'=]", path.read_text("utf-8")))
    for path in [*SRC.rglob("*.html"), ROOT / "Makefile"]:
        used.update(re.findall(r"AIPOWER_[A-Z0-9_]+", path.read_text("utf-8")))
    named = named_variables()
    assert ("README.md", "AIPOWER_SECRET_KEY") in named
    unknown = sorted(
        f"{doc}: {name}"
        for doc, name in named
        if not (any(u.startswith(name) for u in used) if name.endswith("_") else name in used)
    )
    assert not unknown, f"named in the documents, read nowhere: {unknown}"


def settings_sources():
    """{setting: (its AIPOWER_* variables, {variable: default expression})} of the settings
    modules — base and prod first: the documents state production's defaults, dev's only for what
    they do not read (the development card component, the mock model server)."""
    found = {}
    for module in ("base", "prod", "dev"):
        tree = ast.parse((SRC / "settings" / f"{module}.py").read_text("utf-8"))
        for node in tree.body:
            if not isinstance(node, ast.Assign):
                continue
            variables, defaults = set(), {}
            for call in ast.walk(node.value):
                if not (isinstance(call, ast.Call) and call.args):
                    continue
                first = call.args[0]
                if isinstance(first, ast.Constant) and str(first.value).startswith("AIPOWER_"):
                    variables.add(first.value)
                    if len(call.args) > 1:
                        defaults[first.value] = call.args[1]
                    elif ast.unparse(call.func) == "env_bool":
                        defaults[first.value] = ast.Constant(False)
            for target in node.targets:
                if isinstance(target, ast.Name) and variables:
                    found.setdefault(target.id, (variables, defaults))
    return found


# The settings' directories as the documents write them, relative to the repository.
SETTINGS_PATHS = {"BASE_DIR": PurePosixPath(), "VAR_DIR": PurePosixPath("var")}


def code_defaults():
    """{variable: its default as text} where the default is a plain value (not a path)."""
    defaults = {}
    for _variables, expressions in settings_sources().values():
        for name, expression in expressions.items():
            if name in defaults:
                continue
            code = compile(ast.Expression(expression), "settings", "eval")
            try:
                value = eval(code, {"str": str, **SETTINGS_PATHS})  # noqa: S307 - our settings
            except NameError:  # a value built from another setting
                continue
            defaults[name] = str(value).lower() if isinstance(value, bool) else str(value)
    return defaults


UNITS = {"GiB": 1 << 30, "MiB": 1 << 20, "minutes": 60, "hours": 3600}
DEFAULT = r"default (`[^`]+`|\d[\d,]*(?: (?:GiB|MiB|minutes|hours)\b)?)"


def stated_value(text):
    """A default as the documents write it — `INFO`, 600, 2 GiB, 15 minutes — as the code's text."""
    if text.startswith("`"):
        return text.strip("`").rstrip("/")
    number, _space, unit = text.partition(" ")
    return str(int(number.replace(",", "")) * UNITS.get(unit, 1))


def stated_defaults():
    """(document, variable, stated default): the README table's rows of one variable, and
    wherever a document writes "`AIPOWER_X` (default …" or "`AIPOWER_X`, default …"."""
    stated = []
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, meaning in re.findall(r"^\| `(AIPOWER_\w+)` \| (.*) \|$", readme, re.MULTILINE):
        match = re.search(DEFAULT, meaning)
        if match:
            stated.append(("README.md", name, stated_value(match.group(1))))
    for doc in DOCS[:4]:
        text = doc.read_text(encoding="utf-8")
        for name, value in re.findall(rf"`(AIPOWER_\w+)`(?: \(|, ){DEFAULT}", text):
            stated.append((str(doc.relative_to(ROOT)), name, stated_value(value)))
    return stated


def test_every_default_the_documents_state_is_the_code_s():
    """The README's production table and the operations guide say what happens when a variable
    is not set: that must be what the settings do."""
    defaults = code_defaults()
    assert defaults["AIPOWER_GATEWAY_RATE_LIMIT"] == "600"
    assert defaults["AIPOWER_SECURE_COOKIES"] == "true"
    stated = stated_defaults()
    assert ("README.md", "AIPOWER_SESSION_AGE", "28800") in stated
    assert ("docs/operations.md", "AIPOWER_HEALTH_BACKLOG_SECONDS", "900") in stated
    wrong = sorted(
        f"{doc}: {name} default {value}, the code's {defaults[name]}"
        for doc, name, value in stated
        if name in defaults and defaults[name] != value
    )
    assert not wrong, wrong


def test_the_gateway_settings_table_is_the_settings():
    """docs/gateway.md's settings table: each setting's default is its value under the settings
    (no variable set), and the variable named beside it is the one the settings read for it."""
    from django.conf import settings

    text = (ROOT / "docs" / "gateway.md").read_text(encoding="utf-8")
    table = text[text.index("## Settings") :].split("\n## ")[0]
    sources = settings_sources()
    rows = re.findall(r"^\| (?!Setting|---)(.*?) \| (.*?) \| .* \|$", table, re.MULTILINE)
    assert len(rows) >= 8
    problems = []
    for names_cell, default_cell in rows:
        if names_cell.startswith("env "):
            continue
        names_part, _env, env_part = names_cell.partition("(env ")
        names = re.findall(r"`([A-Z_]+)`", names_part)
        defaults = re.findall(r"`([^`]+)`", default_cell)
        for name, default in zip(names, defaults, strict=True):
            try:
                expected = eval(default, {})  # noqa: S307 - the document's own literals
            except (NameError, SyntaxError):
                expected = default
            if getattr(settings, name) != expected:
                problems.append(f"{name}: {default}, the settings' {getattr(settings, name)!r}")
        for variable in re.findall(r"`(AIPOWER_\w+)`", env_part):
            if not any(variable in sources.get(name, (set(),))[0] for name in names):
                problems.append(f"{names}: the settings do not read {variable}")
    assert not problems, problems


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


# What a `…` span names when it is a file of the repository: a path with one of these endings,
# or under one of these folders.
FILE_ENDINGS = (".py", ".md", ".html", ".js", ".css", ".txt", ".po", ".toml")
FOLDERS = ("src/", "tests/", "docs/", "bench/", "requirements/", ".ci/")


def named_files():
    """(document, path) for every span of the first four documents that names a repository
    file; `var/…` (made at run time) and spans with a placeholder are not."""
    found = set()
    for doc in DOCS[:4]:
        for span in code_spans(doc):
            span = span.strip()
            if re.search(r"[\s<>…*{}$]", span) or span.startswith(("/", "var/")):
                continue
            if span.endswith(FILE_ENDINGS) or span.startswith(FOLDERS):
                found.add((str(doc.relative_to(ROOT)), span))
    return found


def file_exists(span):
    """The documents name a file from the repository's root, from `src/`, from an app (its
    module, template or static file) or, a bare file name, anywhere under `src/` or `tests/`."""
    apps = [path for path in SRC.iterdir() if path.is_dir()]
    bases = [ROOT, ROOT / "src", SRC, *apps]
    bases += [app / kind for app in apps for kind in ("templates", "static")]
    if any((base / span).exists() for base in bases):
        return True
    return "/" not in span and any(
        next((ROOT / top).rglob(span), None) is not None for top in ("src", "tests")
    )


def test_every_repository_file_the_documents_name_exists():
    files = named_files()
    assert {("docs/architecture.md", "tests/e2e/accessibility.py")} <= files
    assert ("docs/gateway.md", "gateway/hotpath.py") in files
    missing = sorted(f"{doc}: {span}" for doc, span in files if not file_exists(span))
    assert not missing, f"files the documents name that are not in the repository: {missing}"


# A dotted name that is not ours: the openai SDK's method.
OTHER_LIBRARIES = {"models.retrieve"}
# Dotted spans that are file names or host names (`aipower.dginfra.gov.tw`), not Python.
NOT_PYTHON = (".py", ".md", ".html", ".tw", ".com", ".ai", ".example", ".internal", ".invalid")


def python_modules():
    """Every module name of ours: `aipower`, the apps and their modules (`services`, …)."""
    names = {"aipower"}
    for path in SRC.rglob("*.py"):
        if "migrations" not in path.parts:
            names.update(path.relative_to(SRC).with_suffix("").parts)
    return names - {"__init__"}


def defined_classes():
    """{class name: the modules defining it}, read from the source."""
    classes = {}
    for path in SRC.rglob("*.py"):
        module = ".".join(("aipower", *path.relative_to(SRC).with_suffix("").parts))
        for name in re.findall(r"^class (\w+)", path.read_text("utf-8"), re.MULTILINE):
            classes.setdefault(name, []).append(module.removesuffix(".__init__"))
    return classes


def has_attribute(obj, name):
    if hasattr(obj, name):
        return True
    meta = getattr(obj, "_meta", None)  # a model's field that is not a class attribute
    return meta is not None and any(field.name == name for field in meta.get_fields())


def resolves(dotted):
    """`aipower.x.y`: the longest prefix that imports (settings modules are files only), then
    attributes or model fields."""
    parts = dotted.split(".")
    for end in range(len(parts), 0, -1):
        module = ".".join(parts[:end])
        if module.startswith("aipower.settings"):  # importing prod would refuse to start
            path = ROOT / "src" / Path(*parts[:end])
            if path.is_dir():
                return end == len(parts)
            if not path.with_suffix(".py").exists():
                continue
            source = path.with_suffix(".py").read_text("utf-8")
            rest = parts[end:]
            return not rest or (
                len(rest) == 1 and re.search(rf"^(def {rest[0]}\b|{rest[0]} =)", source, re.M)
            )
        try:
            obj = importlib.import_module(module)
        except ImportError:
            continue
        for part in parts[end:]:
            if not has_attribute(obj, part):
                return False
            obj = getattr(obj, part, None)
        return True
    return False


def named_python():
    """(document, name) for every span of the first four documents that is a dotted name
    starting with one of our modules, apps or classes (`services.verdict_for`,
    `core.ratelimit.LeasedRateLimiter`, `ApiKey.rate_limit`, `review.conflict_found`)."""
    starts = python_modules() | set(defined_classes())
    found = set()
    for doc in DOCS[:4]:
        for span in code_spans(doc):
            span = span.strip().removesuffix("()")
            if not re.fullmatch(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)+", span):
                continue
            if span.split(".")[0] in starts and not span.endswith(NOT_PYTHON):
                found.add((str(doc.relative_to(ROOT)), span))
    return found


def python_name_exists(span, classes, literals):
    """A module, class, function, attribute or model field of ours — relative to `aipower` or to
    any app — an `app.Model`, or a string the code writes whole (an audit action, a logger's
    name, a check's id)."""
    from django.apps import apps

    if span in literals or span in OTHER_LIBRARIES:
        return True
    first, *rest = span.split(".")
    if len(rest) == 1 and first in {config.label for config in apps.get_app_configs()}:
        try:
            apps.get_model(first, rest[0])
            return True
        except LookupError:
            pass
    candidates = [span, f"aipower.{span}"]
    candidates += [f"aipower.{app.name}.{span}" for app in SRC.iterdir() if app.is_dir()]
    candidates += [f"{module}.{span}" for module in classes.get(first, [])]
    return any(resolves(candidate) for candidate in candidates)


def test_every_python_name_the_documents_name_exists():
    """A module, function, class, model field or audit action renamed or removed is not left in
    the documents as if it were still there."""
    classes = defined_classes()
    literals = set()
    for path in SRC.rglob("*.py"):
        literals.update(re.findall(r"[\"']([\w.-]+)[\"']", path.read_text("utf-8")))
    named = named_python()
    assert {
        ("docs/architecture.md", "services.verdict_for"),
        ("docs/gateway.md", "ApiKey.rate_limit"),
        ("docs/architecture.md", "review.conflict_found"),
    } <= named
    missing = sorted(
        f"{doc}: {span}" for doc, span in named if not python_name_exists(span, classes, literals)
    )
    assert not missing, f"Python names the documents name that do not exist: {missing}"


def named_migrations():
    """(document, app, number, name or "") for every migration the documents name:
    "`grants 0004_lean_hot_path_indexes`", "migration core 0015", "(core 0004, …", and in the
    architecture's row of an app "migration 0012"."""
    from django.apps import apps

    labels = "|".join(config.label for config in apps.get_app_configs())
    found = set()
    for doc in DOCS[:4]:
        text = doc.read_text(encoding="utf-8")
        for app, number, name in re.findall(rf"\b({labels}) (\d{{4}})(_\w+)?\b", text):
            found.add((str(doc.relative_to(ROOT)), app, number, name.lstrip("_")))
    # The architecture's table names a migration of the row's own app by its number alone.
    architecture = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for app, row in re.findall(r"^\| `(\w+)` \|(.*)$", architecture, re.MULTILINE):
        for number in re.findall(r"\bmigration (\d{4})\b", row):
            found.add(("docs/architecture.md", app, number, ""))
    return found


def test_every_migration_the_documents_name_exists():
    named = named_migrations()
    assert ("docs/operations.md", "grants", "0004", "lean_hot_path_indexes") in named
    assert ("docs/architecture.md", "core", "0015", "") in named
    assert ("docs/architecture.md", "grants", "0012", "") in named
    missing = []
    for doc, app, number, name in sorted(named):
        pattern = f"{number}_{name}.py" if name else f"{number}_*.py"
        if not list((SRC / app / "migrations").glob(pattern)):
            missing.append(f"{doc}: {app} {number}_{name or '…'}")
    assert not missing, f"migrations the documents name that do not exist: {missing}"


# Options the documents give other programs: vLLM's, uvicorn's, sacct's.
OTHER_PROGRAMS_OPTIONS = {"--max-model-len", "--no-proxy-headers", "--noheader"}


def test_every_option_the_documents_name_alone_is_a_command_s():
    """An option written on its own (`--skip-bad-rows`, `--enqueue`), away from its command's
    line, is an option of one of the management commands."""
    options = set()
    for name, app in get_commands().items():
        parser = load_command_class(app, name).create_parser("manage.py", name)
        options.update(parser._option_string_actions)
    assert {"--enqueue", "--allow-older", "--min-age-days"} <= options
    named = {
        (str(doc.relative_to(ROOT)), span)
        for doc in DOCS[:4]
        for span in code_spans(doc)
        if re.fullmatch(r"--[a-z][a-z-]*", span)
    }
    assert ("docs/operations.md", "--skip-bad-rows") in named
    unknown = sorted(
        f"{doc}: {span}"
        for doc, span in named
        if span not in options and span not in OTHER_PROGRAMS_OPTIONS
    )
    assert not unknown, f"options no management command has: {unknown}"


# Upper-case words the documents write that are neither settings nor our names: log levels,
# SQL, the database's variable (dj-database-url reads it).
NOT_OUR_NAMES = {"INFO", "WARNING", "COPY", "WITH", "DATABASE_URL"}


def test_every_setting_and_constant_the_documents_name_exists():
    """A span in capitals (`FORM_USE_RETENTION_DAYS`, `GATEWAY_DB_BATCH`, `ListKind`'s
    `SERIOUS_VIOLATION`) is a setting, or a name the code or the tests define."""
    from django.conf import settings

    words = set()
    for path in [*SRC.rglob("*.py"), *(ROOT / "tests").rglob("*.py")]:
        words.update(re.findall(r"\b[A-Z][A-Z0-9_]{3,}\b", path.read_text("utf-8")))
    named = {
        (str(doc.relative_to(ROOT)), span.strip())
        for doc in DOCS[:4]
        for span in code_spans(doc)
        if re.fullmatch(r"[A-Z][A-Z0-9_]{3,}", span.strip()) and not span.startswith("AIPOWER_")
    }
    assert ("docs/architecture.md", "FORM_USE_RETENTION_DAYS") in named
    unknown = sorted(
        f"{doc}: {span}"
        for doc, span in named
        if not hasattr(settings, span) and span not in words and span not in NOT_OUR_NAMES
    )
    assert not unknown, f"settings or names the documents name that do not exist: {unknown}"


def test_every_admin_page_the_documents_lead_to_exists():
    """A way through the admin the documents give (算力點數 → 叢集憑證 → 新增) is the admin's
    section (an app) and then one of its pages (a model registered in the admin), as the admin
    names them."""
    from django.contrib import admin
    from django.utils import translation

    with translation.override("zh-hant"):
        pages = {}
        for model in admin.site._registry:
            section = str(model._meta.app_config.verbose_name)
            pages.setdefault(section, set()).add(str(model._meta.verbose_name_plural))
    routes = []
    for doc in DOCS[:4]:
        text = doc.read_text(encoding="utf-8")
        for section, names in pages.items():
            for match in re.finditer(rf"{re.escape(section)} → ", text):
                routes.append((str(doc.relative_to(ROOT)), section, text[match.end() :], names))
    assert any(section == "審查與核定" for _doc, section, _after, _names in routes)
    wrong = sorted(
        f"{doc}: {section} → {after[:12]}…"
        for doc, section, after, names in routes
        if not any(after.startswith(name) for name in names)
    )
    assert not wrong, f"admin pages the documents lead to that the admin does not have: {wrong}"


def test_every_text_the_documents_quote_is_the_site_s():
    """What the documents quote in 「…」 (a button, a message, a label) is written so in the
    code, its templates, scripts or seed data — not a wording the site has since changed."""
    site = "\n".join(
        path.read_text("utf-8")
        for path in SRC.rglob("*")
        if path.suffix in {".py", ".html", ".js", ".txt"} and "migrations" not in path.parts
    )
    quoted = {
        (str(doc.relative_to(ROOT)), text)
        for doc in DOCS[:4]
        for text in re.findall(r"「([^」]+)」", doc.read_text(encoding="utf-8"))
    }
    assert ("docs/architecture.md", "評分已送出") in quoted
    missing = sorted(f"{doc}: 「{text}」" for doc, text in quoted if text not in site)
    assert not missing, f"texts the documents quote that the site does not have: {missing}"


# snake_case names the documents give from other programs: PostgreSQL's, OpenAI's API's.
OTHER_PROGRAMS_NAMES = {
    "archive_command",
    "pg_basebackup",
    "best_of",
    "tool_choice",
    "context_length_exceeded",
}


def test_every_snake_case_name_the_documents_name_exists():
    """A `snake_case` span — a function, a field, an error code (`insufficient_quota`), a notice
    kind, a command, a table (`core_throttle`) — is a name the code, its templates or the tests
    write, or one of the database's tables."""
    from django.apps import apps

    words = {model._meta.db_table for model in apps.get_models()}
    for path in [*SRC.rglob("*"), *(ROOT / "tests").rglob("*.py"), *(ROOT / "bench").rglob("*")]:
        if path.suffix in {".py", ".html", ".js", ".txt", ".css"}:
            words.update(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", path.read_text("utf-8")))
    named = {
        (str(doc.relative_to(ROOT)), span.strip())
        for doc in DOCS[:4]
        for span in code_spans(doc)
        if re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)+", span.strip())
    }
    assert ("docs/gateway.md", "insufficient_quota") in named
    unknown = sorted(
        f"{doc}: {span}"
        for doc, span in named
        if span not in words and span not in OTHER_PROGRAMS_NAMES
    )
    assert not unknown, f"names the documents give that nothing defines: {unknown}"


def allowed_imports(apps):
    """{app: the apps it may import}, read from the diagram opening docs/architecture.md: in a
    chain "core ← calls ← registry / accounts ← …" an app imports those before it; "↖ public
    (… calls and review's …)" the apps the parenthesis names."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    allowed = {app: set() for app in apps}
    for line in FENCE.search(text).group(1).splitlines():
        if "↖" in line:
            reader, _space, reads = line.split("↖")[1].strip().partition(" ")
            allowed[reader].update(app for app in re.findall(r"\w+", reads) if app in apps)
            continue
        for chain in re.split(r"\s{2,}", line.strip()):
            before = set()
            for group in chain.split("←"):
                members = re.findall(r"\w+", group)
                for member in members:
                    allowed[member] |= before
                before |= set(members)
    changed = True
    while changed:  # what an app may import, it may import through another
        changed = False
        for imports in allowed.values():
            more = set().union(*(allowed[other] for other in imports)) - imports
            if more:
                imports |= more
                changed = True
    return allowed


def test_every_import_against_the_order_is_a_listed_exception():
    """docs/architecture.md: imports go one way, as its diagram draws; each exception is in a
    view and is listed, the file named with the app it reads."""
    apps = [path.name for path in SRC.iterdir() if (path / "apps.py").exists()]
    apps.remove("devtools")  # development only: may import anything
    allowed = allowed_imports(apps)
    assert {"core", "calls", "registry", "accounts", "applications"} <= allowed["review"]
    assert "review" in allowed["public"] and "accounts" not in allowed["registry"]
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    exceptions = text[text.index("The exceptions") : text.index("Downstream apps")]
    bullets = exceptions.split("\n- ")
    unlisted = []
    for app in apps:
        for path in sorted((SRC / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            imported = set(re.findall(r"(?:from|import) aipower\.(\w+)", path.read_text("utf-8")))
            name = str(path.relative_to(SRC))
            for other in sorted(imported & set(apps) - allowed[app] - {app}):
                listed = any(
                    f"`{name}`" in bullet and re.search(rf"`{other}\b", bullet)
                    for bullet in bullets
                )
                if not listed or "views" not in name:
                    unlisted.append(f"{name} imports {other}")
    assert not unlisted, f"imports against docs/architecture.md's order, not listed: {unlisted}"


NUMBER_WORDS = "zero one two three four five six seven eight nine ten eleven twelve thirteen "
NUMBER_WORDS += "fourteen fifteen sixteen seventeen eighteen nineteen twenty"


def test_the_gateway_doc_counts_the_middlewares_django_runs():
    """docs/gateway.md says how many middlewares Django's path runs per request (what the lean
    app skips): the settings' count."""
    from django.conf import settings

    text = (ROOT / "docs" / "gateway.md").read_text(encoding="utf-8")
    match = re.search(r"Django's path runs (\w+) middlewares per request", text)
    assert match, "docs/gateway.md no longer counts Django's middlewares"
    assert NUMBER_WORDS.split().index(match.group(1)) == len(settings.MIDDLEWARE)


SCHEDULE = r"every \d+ minutes|hourly|daily|weekly"


def test_every_cron_job_has_its_schedule_and_the_command_agrees():
    """docs/operations.md's cron list gives each job when to run; where the command itself says
    how often it is meant to run ("hourly from cron"), the list says the same."""
    text = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    jobs = re.findall(r"^   - `python manage\.py (\w+)[^`]*` \(([^)]*)\)", text, re.MULTILINE)
    assert ("run_review_deadlines", "hourly") in jobs
    commands = get_commands()
    problems = []
    for name, when in jobs:
        stated = re.match(SCHEDULE, when)
        if stated is None:
            problems.append(f"{name}: no schedule in ({when})")
            continue
        app = commands.get(name, "")
        if not app.startswith("aipower."):
            continue  # Django's and django-tasks-db's own commands say nothing of cron
        source = SRC.joinpath(*app.split(".")[1:], "management", "commands", f"{name}.py")
        meant = set(re.findall(SCHEDULE, source.read_text("utf-8")))
        if meant and stated.group(0) not in meant:
            problems.append(f"{name}: ({when}) in the list, {sorted(meant)} in the command")
    assert not problems, problems


def test_every_management_command_of_ours_is_in_the_documents():
    """A command added for the operator or the developer is documented somewhere they read."""
    text = "\n".join(doc.read_text(encoding="utf-8") for doc in DOCS)
    ours = sorted(name for name, app in get_commands().items() if app.startswith("aipower."))
    assert "import_sacct" in ours
    missing = [name for name in ours if not re.search(rf"\b{name}\b", text)]
    assert not missing, f"management commands no document names: {missing}"


def test_the_readme_s_demo_accounts_are_the_ones_load_demo_makes():
    """The README's demo companies, card PIN, staff accounts (role, password, TOTP secret), API
    key and survey round, and the gateway doc's demo award, are what the demo data creates."""
    from aipower.accounts.enums import Role
    from aipower.devtools.cards import DEMO_COMPANIES, DEMO_PIN
    from aipower.devtools.demo_grants import DEMO_KEY, DEMO_POINTS
    from aipower.devtools.staff import DEMO_PASSWORD, DEMO_STAFF, DEMO_TOTP_SECRET
    from aipower.followup.demo import DEMO_TITLE

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    demo = readme[readme.index("## Demo accounts") : readme.index("## What a newcomer")]
    companies = set(re.findall(r"^\| (\S+) \| (\d{8}) \|", demo, re.MULTILINE))
    assert companies == {(name, ubn) for ubn, name in DEMO_COMPANIES}
    assert f"Every card's PIN is `{DEMO_PIN}`" in demo
    staff = set()
    for users, role, password, secret in re.findall(
        r"^\| (`.*?`) \| .*? \((\w+)\) \| `(.*?)` \| `(.*?)` \|$", demo, re.MULTILINE
    ):
        assert (password, secret) == (DEMO_PASSWORD, DEMO_TOTP_SECRET)
        staff.update((user, role) for user in re.findall(r"`(\w+)`", users))
    assert staff == {(user, Role(role).value) for user, role, _name in DEMO_STAFF}
    assert DEMO_KEY in demo and DEMO_TITLE in demo
    gateway = (ROOT / "docs" / "gateway.md").read_text(encoding="utf-8")
    assert f"inference award of {DEMO_POINTS:,} points" in gateway
