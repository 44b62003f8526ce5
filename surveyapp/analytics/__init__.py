"""Pure analysis of survey answers: frames and arrays in, typed results out.

Nothing here imports Flask or SQLAlchemy; `surveyapp.services.datasets` builds the
`CampaignData` this package reads, and the dashboard, briefs, exports and API all consume what
it returns.
"""

LEVELS = ("frontline", "manager", "senior_leader")  # job levels in order, as files name them
