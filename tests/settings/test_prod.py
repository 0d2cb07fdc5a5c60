"""The production settings refuse to load when they would be unsafe, and say why.

Each case imports ``aipower.settings.prod`` in a fresh interpreter with a clean environment,
as a production server would, so nothing from the test settings leaks in.
"""

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

SRC = Path(__file__).resolve().parents[2] / "src"
GOOD_SECRET = "k3y-for-the-test-only-0123456789-abcdefghijklmnop"
IMPORT_PROD = "import aipower.settings.prod"


@pytest.fixture
def good_env(tmp_path):
    anchor = tmp_path / "moeaca-root.pem"
    anchor.write_text("-----BEGIN CERTIFICATE-----\n")
    return {
        "PYTHONPATH": str(SRC),
        "AIPOWER_VAR_DIR": str(tmp_path / "var"),
        "AIPOWER_SECRET_KEY": GOOD_SECRET,
        "AIPOWER_CERT_TRUST_ANCHORS": str(anchor),
        "AIPOWER_ALLOWED_HOSTS": "aipower.example.tw",
    }


def import_prod(env, code=IMPORT_PROD):
    return subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def refusal(result):
    """The last line of the traceback: the exception and its message."""
    return result.stderr.strip().splitlines()[-1]


def test_prod_settings_import_with_good_environment(good_env):
    code = f"{IMPORT_PROD} as prod; print(prod.DEBUG, prod.SECRET_KEY == {GOOD_SECRET!r})"

    result = import_prod(good_env, code)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False True"


def test_prod_settings_refuse_debug(good_env):
    result = import_prod({**good_env, "AIPOWER_DEBUG": "1"})

    assert result.returncode == 1
    assert refusal(result) == (
        "django.core.exceptions.ImproperlyConfigured: Refusing to start in production: "
        "DEBUG is on (unset AIPOWER_DEBUG)"
    )


@pytest.mark.parametrize(
    "env_change",
    [
        {"AIPOWER_SECRET_KEY": None},
        {"AIPOWER_SECRET_KEY": "insecure-development-key-do-not-use-in-production"},
        {"AIPOWER_SECRET_KEY": "too-short"},
    ],
    ids=["unset", "default", "short"],
)
def test_prod_settings_refuse_a_default_or_weak_secret_key(good_env, env_change):
    env = {k: v for k, v in {**good_env, **env_change}.items() if v is not None}

    result = import_prod(env)

    assert result.returncode == 1
    assert refusal(result).endswith(
        "AIPOWER_SECRET_KEY is the default or shorter than 32 characters"
    )


@pytest.mark.parametrize(
    "enable",
    [
        "base.DEVTOOLS_ENABLED = True",
        "base.INSTALLED_APPS.append('aipower.devtools')",
    ],
    ids=["flag", "installed-app"],
)
def test_prod_settings_refuse_development_tools(good_env, enable):
    # No environment variable turns devtools on; a settings module built on base could.
    code = f"import aipower.settings.base as base; {enable}; {IMPORT_PROD}"

    result = import_prod(good_env, code)

    assert result.returncode == 1
    assert refusal(result).endswith(
        "Refusing to start in production: a development tool is enabled"
    )


def test_prod_settings_refuse_missing_trust_anchors(good_env):
    env = {k: v for k, v in good_env.items() if k != "AIPOWER_CERT_TRUST_ANCHORS"}

    result = import_prod(env)

    assert result.returncode == 1
    assert refusal(result).endswith("AIPOWER_CERT_TRUST_ANCHORS names no trusted root")


def test_prod_settings_name_every_problem_at_once(good_env):
    env = {"PYTHONPATH": good_env["PYTHONPATH"], "AIPOWER_VAR_DIR": good_env["AIPOWER_VAR_DIR"]}

    result = import_prod({**env, "AIPOWER_DEBUG": "true"})

    assert result.returncode == 1
    assert refusal(result) == (
        "django.core.exceptions.ImproperlyConfigured: Refusing to start in production: "
        "DEBUG is on (unset AIPOWER_DEBUG); "
        "AIPOWER_SECRET_KEY is the default or shorter than 32 characters; "
        "AIPOWER_CERT_TRUST_ANCHORS names no trusted root"
    )


def test_prod_settings_turn_hsts_on_for_the_host_and_below(good_env):
    code = (
        f"{IMPORT_PROD} as prod; "
        "print(prod.SECURE_HSTS_SECONDS, prod.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
        "prod.SESSION_COOKIE_SECURE, prod.CSRF_COOKIE_SECURE)"
    )

    result = import_prod(good_env, code)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "31536000 True True True"


@pytest.mark.parametrize(
    ("secure", "expected"),
    [
        ("1", "__Host-sessionid __Host-csrftoken __Host-aipower_last_sign_in True"),
        ("0", "sessionid csrftoken aipower_last_sign_in False"),
    ],
    ids=["https", "plain-http"],
)
def test_prod_cookies_carry_the_host_prefix_when_secure(good_env, secure, expected):
    """__Host- cookies are dropped by browsers unless Secure: a site run over plain HTTP (a
    deliberate AIPOWER_SECURE_COOKIES=0) keeps the plain names."""
    code = (
        f"{IMPORT_PROD} as prod; print(prod.SESSION_COOKIE_NAME, prod.CSRF_COOKIE_NAME,"
        " prod.REMEMBER_COOKIE_NAME, prod.LANGUAGE_COOKIE_SECURE)"
    )

    result = import_prod({**good_env, "AIPOWER_SECURE_COOKIES": secure}, code)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected
