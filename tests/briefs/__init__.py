"""Tests of the PDF change-management briefs."""
