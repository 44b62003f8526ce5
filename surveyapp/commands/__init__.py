"""The `surveyapp` commands, one module per domain; `surveyapp.cli` gathers them."""
