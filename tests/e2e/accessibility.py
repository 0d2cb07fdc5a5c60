"""axe-core for the browser tests: one helper every e2e file uses to check a page.

Every violation fails, whatever its impact (minor and moderate too: the site's own pages were
checked for serious and critical only, and the admin's minor ones were real). A rule left out
must say why next to it, in ``EXCLUDED_RULES``.

axe is injected with ``page.evaluate``; a browser context made with ``bypass_csp=True`` keeps
that independent of the strict Content-Security-Policy.
"""

from axe_playwright_python.sync_playwright import Axe

# Rule id → why it is not checked. Empty: no rule is left out.
EXCLUDED_RULES: dict[str, str] = {}

_AXE = Axe()


def axe_findings(page):
    """Every axe-core violation on ``page`` as ``rule (impact): targets``, sorted."""
    options = {"resultTypes": ["violations"]}
    if EXCLUDED_RULES:
        options["rules"] = {rule: {"enabled": False} for rule in EXCLUDED_RULES}
    violations = _AXE.run(page, options=options).response["violations"]
    return sorted(
        f"{v['id']} ({v['impact']}): "
        + ", ".join(" ".join(map(str, node["target"])) for node in v["nodes"])
        for v in violations
    )


class Accessibility:
    """Checks pages as a test goes through them and keeps their findings by page name:
    ``assert axe.violations == {}`` at the end reports every page at once."""

    def __init__(self):
        self.checked = []
        self.violations = {}

    def check(self, page, name):
        self.checked.append(name)
        findings = axe_findings(page)
        if findings:
            self.violations[name] = findings
