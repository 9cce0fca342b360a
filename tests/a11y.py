"""Accessibility checks in the browser tests: axe-core (bundled by
axe-playwright-python) at WCAG 2.1 A and AA on the page as it stands."""

from axe_playwright_python.sync_playwright import Axe

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

_axe = Axe()


def axe_violations(page) -> list[dict]:
    """The WCAG 2.1 A/AA violations axe finds on the page."""
    options = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}
    return _axe.run(page, options=options).response["violations"]


def describe(violations: list[dict]) -> str:
    """One block per rule: its id, impact and help, then each failing
    element's selector and axe's summary of what to fix."""
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} [{len(v['nodes'])} element(s)]")
        for node in v["nodes"][:10]:
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    {' '.join(node['target'])}: {summary[:300]}")
    return "\n".join(lines)


def assert_accessible(page, where: str = "") -> None:
    """Fails with a readable list when axe finds any WCAG 2.1 A/AA violation."""
    violations = axe_violations(page)
    assert not violations, f"axe: {where or page.url}\n" + describe(violations)
