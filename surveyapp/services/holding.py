"""Anonymous answers held at submission and released into `responses` in shuffled batches.

Storing an anonymous response in the transaction that spends its invitation would tie the two
rows together for anyone with the database: on PostgreSQL both rows carry that transaction's
id (`xmin`), and the physical and commit order of both tables follow the order of arrival.
So the submission spends the invitation (`answer_held`) and seals the answers into
`held_responses`; a release moves at least the campaign's minimum group size k of them into
`responses` in one transaction that also rewrites as many held invitations, inserts the batch
in a random order under random keys, and deletes the held rows. Every response of a batch then
shares its transaction id, position range and day with every invitation of the batch: within
a batch (at least k), nothing stored tells which answer was whose. `scrub` then vacuums the
dead row versions of the submission (PostgreSQL) or empties the write-ahead log (SQLite).

Answers wait for a batch of max(k, RELEASE_BATCH) submissions to the same campaign, for the
daily `drafts purge` (which releases any batch of at least k), or for the campaign to close,
when whatever is held is released and every spent invitation of the campaign is rewritten
with it, so that even a last batch smaller than k shares its transaction id with everyone who
answered.
"""

from __future__ import annotations

import logging
import secrets
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from surveyapp.errors import SurveyappError
from surveyapp.models import Campaign, HeldResponse, Invitation
from surveyapp.services.campaign_state import campaign_phase
from surveyapp.services.responses import Submission, record_responses
from surveyapp.services.sealing import Seal
from surveyapp.services.spending import CONSUME_INVITATION, CONSUME_OPEN_DRAFT, DELETE_DRAFT
from surveyapp.services.survey_pages import survey_plan
from surveyapp.services.visits import CampaignRow

HELD, INVITATIONS = HeldResponse.__table__, Invitation.__table__
REQUEST_BATCH_LIMIT = 500  # a release run in a respondent's submission moves no more than this
# A submission releases the campaign's held answers once this many wait (or k, if larger).
# A release has a fixed cost (six statements) beside its cost per answer: against batches of
# 5, batches of 20 cut a submission's time by about a tenth, and every batch is an anonymity
# set four times as large. Close, `drafts purge` (daily) and `responses release` release
# any batch of at least k, so an answer waits a day at most in a campaign that gets k a day.
RELEASE_BATCH = 20
COUNT_HELD = (
    sa.select(sa.func.count())
    .select_from(HELD)
    .where(HELD.c.campaign_id == sa.bindparam("held_campaign"))
)
# The held answer's values. Their names differ from every column of the spent tables: an
# UPDATE given a parameter named like one of its table's columns would also SET that column.
HELD_VALUES = {
    "id": sa.bindparam("held_id", type_=HELD.c.id.type),
    "campaign_id": sa.bindparam("held_campaign"),
    "payload": sa.bindparam("held_payload", type_=HELD.c.payload.type),
}
# SQLite: hold the answer and count the campaign's held answers, this one included, in one
# statement (SQLite evaluates RETURNING after the row is in).
HOLD_AND_COUNT = sa.insert(HELD).values(HELD_VALUES).returning(COUNT_HELD.scalar_subquery())


def _spend_and_hold(spend: sa.Update, *alongside: sa.CTE) -> sa.Select:
    """PostgreSQL: run `spend` (RETURNING the spent row), hold the answer only if this request
    spent it, and count the campaign's held answers, in one round trip: (spent, waiting).
    The count's snapshot does not see the row its own statement inserts, hence + spent."""
    spent = spend.returning(spend.table.c.id).cte("spent")
    held = (
        sa.insert(HELD)
        .from_select(list(HELD_VALUES), sa.select(*HELD_VALUES.values()).select_from(spent))
        .cte("held")
    )
    count = sa.select(sa.func.count().label("n")).select_from(spent).subquery("spent_count")
    return sa.select(count.c.n, count.c.n + COUNT_HELD.scalar_subquery()).add_cte(*alongside, held)


SPEND_INVITATION_AND_HOLD = _spend_and_hold(CONSUME_INVITATION, DELETE_DRAFT.cte("dropped_draft"))
SPEND_OPEN_DRAFT_AND_HOLD = _spend_and_hold(CONSUME_OPEN_DRAFT)
log = logging.getLogger(__name__)


def hold(session: Session, campaign: CampaignRow, submission: Submission, seal: Seal) -> int:
    """Seal `submission` into the holding table, in the caller's (spending) transaction, and
    release the campaign's batch when this answer fills it; how many answers were released.
    SQLite's path: PostgreSQL spends and holds in one statement (`spend_and_hold`).
    """
    waiting = session.execute(HOLD_AND_COUNT, _held_row(campaign, submission, seal)).scalar_one()
    return _release_full_batch(session, campaign, seal, waiting)


def spend_and_hold(
    session: Session,
    campaign: CampaignRow,
    submission: Submission,
    seal: Seal,
    invitation_id: int | None,
    draft_id: int,
) -> int | None:
    """`hold` on PostgreSQL, spending the invitation (and deleting its draft) or, without an
    invitation, the open draft in the same statement; None if it was spent already (nothing
    is held), else how many answers were released.
    """
    row = _held_row(campaign, submission, seal)
    if invitation_id is None:
        row["row_id"] = draft_id
        spent, waiting = session.execute(SPEND_OPEN_DRAFT_AND_HOLD, row).one()
    else:
        row |= {"row_id": invitation_id, "draft_id": draft_id, "held": True}
        spent, waiting = session.execute(SPEND_INVITATION_AND_HOLD, row).one()
    if not spent:
        return None
    return _release_full_batch(session, campaign, seal, waiting)


def _held_row(campaign: CampaignRow, submission: Submission, seal: Seal) -> dict[str, Any]:
    return {
        "held_id": uuid.uuid4(),
        "held_campaign": campaign.id,
        "held_payload": seal.close(_document(submission)),
    }


def _release_full_batch(session: Session, campaign: CampaignRow, seal: Seal, waiting: int) -> int:
    """Release the campaign's held answers in the submission's transaction once `waiting`
    fills a batch; how many were released.

    A full batch is released once every RELEASE_BATCH submissions (or k, if larger), moving at
    most REQUEST_BATCH_LIMIT answers: one write transaction per request, not two, which
    matters on SQLite, where every extra one queues on the write lock. The release runs in a
    savepoint, so one that fails (a changed secret key) leaves the submission stored and the
    batch held for the next. The submitter's own spent invitation is rewritten with the batch
    like every other, so it is no more tied to any answer of the batch than theirs.
    It does not `scrub`: a checkpoint or VACUUM would cost every batch's last submitter tens
    of milliseconds, and what the dead rows and WAL frames of a submission hold is sealed (the
    held answer, the draft) or names only the person (the invitation's earlier version).
    Autovacuum and SQLite's own checkpoints clear them; `surveyapp drafts purge` (daily) and
    every release from the command line or at close scrub at once.
    """
    if waiting < max(campaign.min_group_size, RELEASE_BATCH):
        return 0
    try:
        with session.begin_nested():
            return release(session, campaign, seal, REQUEST_BATCH_LIMIT)
    except (sa.exc.SQLAlchemyError, SurveyappError):
        log.exception("releasing held answers of campaign %s failed", campaign.id)
        return 0


def _document(submission: Submission) -> dict[str, Any]:
    return {
        "unit": submission.unit_id,
        "function": submission.function_id,
        "level": submission.level,
        "locale": submission.locale,
        "day": submission.submitted_on.isoformat(),
        "answers": submission.answers,
    }


def _submission(document: dict[str, Any]) -> Submission:
    return Submission(
        unit_id=document["unit"],
        function_id=document["function"],
        level=document["level"],
        locale=document["locale"],
        answers=document["answers"],
        submitted_on=date.fromisoformat(document["day"]),
    )


def waiting_count(session: Session, campaign_id: int) -> int:
    """How many answers of the campaign wait to be released."""
    return session.execute(COUNT_HELD, {"held_campaign": campaign_id}).scalar_one()


def release(
    session: Session, campaign: Campaign | CampaignRow, seal: Seal, limit: int | None = None
) -> int:
    """Release what can be released now, in the caller's transaction; how many answers went.

    An open campaign releases only a batch of at least k; a closed one releases everything
    it holds. On PostgreSQL the held rows and invitations are locked with SKIP LOCKED, so two
    releases at once take disjoint batches and a batch smaller than k is left for later.
    """
    final = campaign_phase(campaign) == "closed"
    taken = sa.select(HELD.c.id, HELD.c.payload).where(HELD.c.campaign_id == campaign.id)
    if limit is not None and not final:
        taken = taken.limit(limit)
    held = session.execute(taken.with_for_update(skip_locked=True)).all()
    k = campaign.min_group_size
    if not held or (len(held) < k and not final):
        return 0
    spent = (
        []
        if final
        else list(
            session.scalars(
                sa.select(INVITATIONS.c.id)
                .where(INVITATIONS.c.campaign_id == campaign.id, INVITATIONS.c.answer_held)
                .order_by(INVITATIONS.c.id)
                .limit(len(held))
                .with_for_update(skip_locked=True)
            )
        )
    )
    rewritten = _every_submitted(session, campaign.id) if final else spent
    if rewritten:
        session.execute(
            sa.update(INVITATIONS)
            .where(INVITATIONS.c.id.in_(sorted(rewritten)))
            .values(answer_held=False)
        )
    submissions = [_submission(seal.open(payload)) for _id, payload in held]
    secrets.SystemRandom().shuffle(submissions)
    record_responses(session, campaign, survey_plan(session, campaign).layout, submissions)
    session.execute(sa.delete(HELD).where(HELD.c.id.in_([row_id for row_id, _ in held])))
    return len(held)


def _every_submitted(session: Session, campaign_id: int) -> list[int]:
    """Every spent invitation of a closed campaign, rewritten with its last release.

    A last batch may be smaller than k; rewriting all spent invitations with it (once per
    campaign, at close) leaves every response's transaction id shared with all respondents
    or with none, instead of with the few of that batch.
    """
    return list(
        session.scalars(
            sa.select(INVITATIONS.c.id)
            .where(INVITATIONS.c.campaign_id == campaign_id, INVITATIONS.c.status == "submitted")
            .with_for_update()
        )
    )


def campaigns_holding(session: Session) -> list[Campaign]:
    """The campaigns with answers waiting, by slug."""
    holding = sa.select(HELD.c.campaign_id).distinct()
    return list(
        session.scalars(sa.select(Campaign).where(Campaign.id.in_(holding)).order_by(Campaign.slug))
    )


@dataclass(frozen=True)
class Released:
    """One campaign's release: answers moved now, answers still waiting, the batch size."""

    slug: str
    released: int
    waiting: int
    batch: int


def release_now(session: Session, seal: Seal, slug: str | None = None) -> list[Released]:
    """Release what every campaign holding answers (or the one named) can release now."""
    from surveyapp.services.campaign_state import campaign_by_slug

    campaigns = [campaign_by_slug(session, slug)] if slug else campaigns_holding(session)
    outcomes = []
    for campaign in campaigns:
        if waiting_count(session, campaign.id) == 0:
            continue
        released = release(session, campaign, seal)
        waiting = waiting_count(session, campaign.id)
        outcomes.append(Released(campaign.slug, released, waiting, campaign.min_group_size))
    return outcomes


def scrub(session: Session) -> None:
    """After a release has committed, remove what is left of the submissions' rows.

    PostgreSQL keeps dead row versions (a held row, a spent invitation's earlier version, a
    deleted draft, each with the submitting transaction's id) until VACUUM; SQLite keeps old
    page images in its write-ahead log until a checkpoint, and `secure_delete` (set on every
    connection) has already zeroed deleted rows in the database file itself. Neither can run
    inside a transaction, so this uses a connection of its own.
    """
    engine = session.get_bind()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql("VACUUM (SKIP_LOCKED) held_responses, invitations, drafts")
        else:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
