"""The respondent flow: personal and open links, the paged form, drafts and submission."""

from surveyapp.survey import views
from surveyapp.survey.blueprint import bp

__all__ = ["bp", "views"]
