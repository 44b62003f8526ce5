"""The fixtures every test may use, as plugins: one module per area (tests/plugins/)."""

pytest_plugins = [
    "tests.plugins.app",
    "tests.plugins.staff",
    "tests.plugins.survey",
    "tests.plugins.mail",
    "tests.plugins.exports",
    "tests.plugins.api",
    "tests.plugins.sso",
]
