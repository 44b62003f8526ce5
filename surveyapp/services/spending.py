"""The statements that spend a respondent's way in: the one place that says what "spent" is.

A submission spends the invitation (deleting its draft) or, without one, the open-link draft,
with a conditional UPDATE, so that the database, not a check made earlier in Python, decides
which of two racing requests stores an answer. `respondents` runs them on their own;
`holding` builds PostgreSQL's one-statement spend-and-hold from the same statements.

The draft's time is a bind parameter computed at execution, not the column's `onupdate`:
SQLAlchemy applies `onupdate` to a top-level UPDATE only, and the spend also runs as a CTE.
"""

from __future__ import annotations

import sqlalchemy as sa

from surveyapp.models.base import utcnow
from surveyapp.services.visits import DRAFTS, INVITATIONS

CONSUME_INVITATION = (
    sa.update(INVITATIONS)
    .where(INVITATIONS.c.id == sa.bindparam("row_id"), INVITATIONS.c.status != "submitted")
    .values(status="submitted", answer_held=sa.bindparam("held"))
)
CONSUME_OPEN_DRAFT = (
    sa.update(DRAFTS)
    .where(DRAFTS.c.id == sa.bindparam("row_id"), DRAFTS.c.submitted.is_(False))
    .values(
        submitted=True,
        sealed_answers=None,
        page=0,
        updated_at=sa.bindparam("spent_at", callable_=utcnow, type_=DRAFTS.c.updated_at.type),
    )
)
DELETE_DRAFT = sa.delete(DRAFTS).where(DRAFTS.c.id == sa.bindparam("draft_id"))

# PostgreSQL runs both as one statement: the draft's DELETE rides along as a CTE, and the
# UPDATE's row count still says whether this request consumed the invitation.
CONSUME_INVITATION_DROP_DRAFT = CONSUME_INVITATION.add_cte(DELETE_DRAFT.cte("dropped_draft"))
