"""Running axe-core (from npm, pinned in package.json) on the page in view."""

from pathlib import Path

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
_SOURCE = None


def axe_violations(page) -> list[dict]:
    """WCAG 2.0-2.2 A and AA rules, plus best practice, on the whole page."""
    global _SOURCE
    if _SOURCE is None:
        _SOURCE = AXE.read_text()
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated by the browser's debugging protocol, which a page's Content
        # Security Policy does not govern; a <script> added to the page would be.
        page.evaluate(_SOURCE)
    result = page.evaluate(
        """() => axe.run(document, {runOnly: {type: 'tag', values: [
            'wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'
        ]}})"""
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "nodes": [n["target"] for n in v["nodes"]][:3],
        }
        for v in result["violations"]
    ]


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert violations == [], "%s: %s" % (page.url, violations)
