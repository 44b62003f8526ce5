"""Turning the responses of a campaign's latest result release into the frames analytics read.

One query reads a row per response (its groups and its packed answer vector), a second the
free-text answers; nothing reads the answer rows of Likert or quiz items one by one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import Session

from surveyapp.analytics.frames import CampaignData, QuizSpec, ScaleSpec, split_declined
from surveyapp.models import LEVELS, Answer, Campaign, Function, Person, Response, ResultRelease
from surveyapp.services.layout import DECLINED, CampaignLayout, campaign_layout
from surveyapp.services.unit_snapshots import reporting_tree


def latest_release(session: Session, campaign_id: int) -> ResultRelease | None:
    """The campaign's newest release, the one every output reads."""
    return session.scalars(
        sa.select(ResultRelease)
        .where(ResultRelease.campaign_id == campaign_id)
        .order_by(ResultRelease.number.desc())
        .limit(1)
    ).first()


def withheld_groups(release: ResultRelease | None) -> frozenset[tuple[str, str]]:
    """The groups a release's audit against the one before it hid, as (kind, key)."""
    return frozenset() if release is None else frozenset(tuple(g) for g in release.withheld)


def _union(levels: tuple[str, ...] | None, more: tuple[str, ...] | None) -> tuple[str, ...] | None:
    """The levels asked a scale so far plus one more item's (None: everyone)."""
    if levels is None or more is None:
        return None
    return tuple(level for level in LEVELS if level in levels or level in more)


def item_levels(layout: CampaignLayout) -> dict[str, tuple[str, ...]]:
    """The answer columns asked of some levels only, with those levels."""
    return {q.column: q.item.levels for q in layout.questions if q.item.levels is not None}


def campaign_scales(layout: CampaignLayout) -> tuple[list[ScaleSpec], list[QuizSpec]]:
    """The scales and quizzes of a campaign, with the answer columns of each."""
    scales: dict[str, ScaleSpec] = {}
    quizzes: dict[str, list[str]] = {}
    for question in layout.vector_questions:
        item = question.item
        if item.type == "knowledge":
            quizzes.setdefault(question.instrument, []).append(question.column)
            continue
        key = f"{question.instrument}.{item.scale.key}"
        spec = scales.get(key)
        scales[key] = ScaleSpec(
            key=key,
            instrument=question.instrument,
            scale=item.scale.key,
            items=(*(spec.items if spec else ()), question.column),
            points=item.response_scale.points,
            reverse=(spec.reverse if spec else frozenset())
            | ({question.column} if item.reverse else set()),
            adkar=item.scale.adkar,
            cluster=item.scale.cluster,
            outcome=item.scale.outcome,
            title=item.scale.title,
            levels=_union(spec.levels if spec else (), item.levels),
        )
    return list(scales.values()), [
        QuizSpec(instrument, tuple(columns)) for instrument, columns in quizzes.items()
    ]


def load_campaign_data(
    session: Session, campaign: Campaign, unreleased: bool = False
) -> CampaignData:
    """Everything the analysis of `campaign` needs, ordered by response id (not by arrival).

    Only the responses of the campaign's latest result release, with the groups its audit
    withheld (services/result_releases.py): every output reads this, so figures change only
    from one release to the next. `unreleased` reads every stored response instead, for
    making the next release. Responses are placed in the campaign's reporting tree: the tree
    frozen when it closed, or the live one while it is open (services/unit_snapshots.py).
    """
    layout = campaign_layout(campaign)
    chosen = [Response.campaign_id == campaign.id]
    if not unreleased:
        chosen.append(Response.result_release.is_not(None))
    columns = [question.column for question in layout.vector_questions]
    tree = reporting_tree(session, campaign)
    # an anonymous campaign's answers are never read beside the roster (privacy rule 2)
    confidential = campaign.privacy_mode == "confidential"
    query = sa.select(
        Response.id,
        Response.unit_id,
        Function.code,
        Response.level,
        Response.locale,
        Response.consent,
        Person.employee_id if confidential else sa.null().label("employee_id"),
        Response.answer_vector,
    ).join(Function, Response.function_id == Function.id)
    if confidential:
        query = query.outerjoin(Person, Response.person_id == Person.id)
    rows = session.execute(query.where(*chosen).order_by(Response.id)).all()
    index = pd.Index([str(row[0]) for row in rows], name="response_id")
    respondents = pd.DataFrame(
        [(tree.codes[row[1]], *row[2:7]) for row in rows],
        index=index,
        columns=["unit", "function", "level", "locale", "consent", "employee_id"],
    )
    matrix = np.frombuffer(b"".join(row[7] for row in rows), dtype="<f4")
    answers, declined = split_declined(
        pd.DataFrame(
            matrix.reshape(len(rows), len(columns)).astype("float64"), index=index, columns=columns
        ),
        {q.column for q in layout.vector_questions if q.item.type == "knowledge"},
        DECLINED,
    )
    text_columns = {q.item.id: q.column for q in layout.questions if q.item.type == "text"}
    comment_rows = session.execute(
        sa.select(Answer.response_id, Answer.item_id, Response.locale, Answer.text)
        .join(Response)
        .where(*chosen, Answer.item_id.in_(list(text_columns)))
        .order_by(Answer.response_id, Answer.item_id)
    ).all()
    comments = pd.DataFrame(
        [
            (str(rid), text_columns[item_id], locale, text)
            for rid, item_id, locale, text in comment_rows
        ],
        columns=["response_id", "item", "locale", "text"],
    )
    scales, quizzes = campaign_scales(layout)
    return CampaignData(
        campaign=campaign.slug,
        respondents=respondents,
        answers=answers,
        comments=comments,
        scales=scales,
        quizzes=quizzes,
        unit_parents=tree.parents,
        min_group_size=campaign.min_group_size,
        min_comment_group_size=campaign.min_comment_group_size,
        item_levels=item_levels(layout),
        declined=declined,
        withheld=frozenset()
        if unreleased
        else withheld_groups(latest_release(session, campaign.id)),
    )
