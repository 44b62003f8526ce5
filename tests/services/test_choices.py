"""A value outside its choices is refused in one wording, whichever service refuses it."""

from __future__ import annotations

from surveyapp.language import english, writing_in
from surveyapp.services.campaign_privacy import privacy_problems
from surveyapp.services.users import role_problems


def test_a_mode_or_a_role_outside_its_choices_reads_alike_in_english_and_in_spanish():
    mode = privacy_problems("public", 5, 10)[0]
    role = role_problems("owner", [])[0]
    assert (mode.field, role.field) == ("mode", "role")
    assert english(mode.reason) == "'public' is not one of anonymous, confidential"
    with writing_in("es"):
        assert str(mode.reason) == "'public' no es ninguno de estos: anonymous, confidential"
        assert str(role.reason) == "'owner' no es ninguno de estos: admin, change_manager, hr"
