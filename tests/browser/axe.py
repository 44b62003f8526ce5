"""axe-core run inside the page under test, failing on serious and critical violations."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

BLOCKING = ("serious", "critical")
RUN_AXE = """async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.map((node) => node.target.join(" ")),
  }));
}"""


class Axe:
    """Audits pages with the axe-core source from node_modules (installed by `npm ci`).

    The pages send a strict Content-Security-Policy (`default-src 'self'`, no inline script),
    so a `<script>` tag carrying axe would be blocked. Playwright's `page.evaluate` runs the
    source through the DevTools protocol, which the page's CSP does not govern, so each page is
    audited while its real policy stays in force (no `bypass_csp`).
    """

    def __init__(self, source: str) -> None:
        self.source = source

    def violations(self, page: Page) -> list[dict[str, Any]]:
        """Every violation axe finds on the page as it is now."""
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(self.source)
        return page.evaluate(RUN_AXE)

    def check(self, page: Page, what: str) -> None:
        """Fail, listing each rule and the elements it flags, on a serious or critical one."""
        blocking = [v for v in self.violations(page) if v["impact"] in BLOCKING]
        report = "\n".join(
            f"  {v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["targets"])
            for v in blocking
        )
        assert not blocking, f"axe on {what} ({page.url}):\n{report}"
