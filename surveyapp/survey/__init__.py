"""The respondent flow: personal and open links, the paged form, drafts and submission."""

from surveyapp.survey import resume, views
from surveyapp.survey.blueprint import bp

__all__ = ["bp", "resume", "views"]
