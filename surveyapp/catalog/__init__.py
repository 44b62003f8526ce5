"""The instrument catalog: reading, validating and loading instrument files."""
