"""The demo: a synthetic organisation (profiles, comments), its respondents (synthetic) and the
database `surveyapp demo build` makes of them (build)."""
