"""The instrument catalog: reading, validating and loading instrument files."""

# The instruments shipped in instruments/: what the demo's campaigns ask, and the tests' too.
ALL_INSTRUMENTS = ["ai-literacy", "adoption-readiness", "ai-concerns", "stakeholder-alignment"]
