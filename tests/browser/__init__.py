"""Real-browser tests: Debian's Chromium driven by Playwright, audited by axe-core."""
