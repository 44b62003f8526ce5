"""Participation rates are published in bands that never narrow a submitted count below k."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from surveyapp.services.participation import RATE_BANDS, Counts


def test_bands_of_twenty_points_only_where_they_span_k_counts():
    assert Counts(25, 20, 15).band(5) == (0.6, 0.8)
    assert not Counts(25, 20, 15).flagged(5)
    assert Counts(25, 10, 10).band(5) == (0.4, 0.6) and Counts(25, 10, 10).flagged(5)
    assert Counts(30, 30, 30).band(5) == (0.8, 1.0)
    assert Counts(24, 10, 10).band(5) is None and not Counts(24, 10, 10).flagged(5)
    assert Counts().band(5) is None


@given(st.integers(0, 400), st.integers(3, 10), st.data())
def test_a_band_leaves_at_least_k_possible_submitted_counts(invited, k, data):
    submitted = data.draw(st.integers(0, invited))
    band = Counts(invited, submitted, submitted).band(k)
    if band is None:
        return
    possible = [s for s in range(invited + 1) if Counts(invited, s, s).band(k) == band]
    assert submitted in possible and len(possible) >= k
    assert round((band[1] - band[0]) * RATE_BANDS, 9) == 1
