"""Where per-person literacy results can exist: confidential campaigns asking ai-literacy.

Consent on the first page is consent to HR seeing one's own AI-literacy results. A campaign
that does not ask the literacy instrument has none to show, so asking for that consent would
ask for nothing, and HR's per-person export of it would only fail; an anonymous campaign has
no per-person rows at all. The survey pages, the staff pages and campaign creation all ask
here, so the question, the export links and the warning agree.
"""

from __future__ import annotations

from surveyapp.analytics.scoring import LITERACY_INSTRUMENT
from surveyapp.models import Campaign
from surveyapp.services.survey_pages import SurveyPage


def asks_literacy(campaign: Campaign) -> bool:
    """Whether the campaign asks the ai-literacy instrument (so has literacy results)."""
    return any(
        entry.instrument_version.instrument.slug == LITERACY_INSTRUMENT
        for entry in campaign.instruments
    )


def per_person_results(campaign: Campaign) -> bool:
    """Whether HR can have per-person literacy results (of those who consent)."""
    return campaign.privacy_mode == "confidential" and asks_literacy(campaign)


def literacy_questions(pages: list[SurveyPage]) -> bool:
    """Whether someone walking `pages` answers literacy questions."""
    return any(
        question.instrument == LITERACY_INSTRUMENT for page in pages for question in page.questions
    )


def consent_asked(privacy_mode: str, pages: list[SurveyPage]) -> bool:
    """Whether someone walking `pages` is asked to consent: a confidential campaign that asks
    them literacy questions."""
    return privacy_mode == "confidential" and literacy_questions(pages)


def creation_warnings(campaign: Campaign) -> list[str]:
    """What the admin should know about a campaign just made, though it is allowed."""
    if campaign.privacy_mode == "confidential" and not asks_literacy(campaign):
        return [
            f"campaign {campaign.slug} is confidential but does not ask the "
            f"{LITERACY_INSTRUMENT} instrument: nobody will be asked for consent and HR will "
            "have no per-person results, so an anonymous campaign would give the same "
            "results and protect people better"
        ]
    return []
