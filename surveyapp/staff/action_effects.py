"""Did the actions work, and do units do what they say: two staff pages over released figures.

Both read the campaigns' analysis documents (the latest result release, suppression applied)
and the units' outcome metrics; a change manager sees their own units, and comparison units
outside their scope are counted, not named.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort, current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from surveyapp.analytics.say_do import QUADRANTS
from surveyapp.briefs import render
from surveyapp.briefs.labels import metric_label, scale_label
from surveyapp.briefs.scatter import scatter
from surveyapp.briefs.service import campaign_meta
from surveyapp.extensions import db
from surveyapp.language import current_language
from surveyapp.models import Campaign, OrgUnit
from surveyapp.services import action_effects
from surveyapp.services.access import visible_campaigns
from surveyapp.services.action_plans import LITERACY, READINESS, shown_units
from surveyapp.services.actions import ACTION_ROLES
from surveyapp.services.analysis import campaign_analysis as analysis_of
from surveyapp.services.analysis import previous_wave
from surveyapp.services.outcomes import metric_names
from surveyapp.staff.actions import current_actor
from surveyapp.staff.actions import latest_campaign as newest_campaign
from surveyapp.staff.blueprint import bp
from surveyapp.staff.shared import role_required

VERDICTS = {
    "better": _l("worked"),
    "worse": _l("did not work"),
    "unclear": _l("no clear effect"),
}
CORNER_NAMES = {
    "ready_and_using": _l("say ready, use it"),
    "say_not_do": _l("say ready, do not use it"),
    "do_not_say": _l("use it, do not say ready"),
    "neither": _l("neither"),
}
SENTENCES = {  # a sentence per quadrant, marked for translation
    "ready_and_using": _l("say they are ready and use it: keep going and let them show others."),
    "say_not_do": _l(
        "say they are ready but do not use it: look for what stops them (access, time, a tool "
        "that does not fit the work)."
    ),
    "do_not_say": _l(
        "use it without saying they are ready: a risk; check training, safeguards and whether "
        "the use is sustainable."
    ),
    "neither": _l("neither say they are ready nor use it: start with why the change matters."),
}


def _units(codes: tuple[str, ...], scope: set[int] | None) -> list[str]:
    """The units the reader may see by name, then "N other units" for the rest."""
    seen, others = action_effects.named_units(db.session, codes, scope)
    if others:
        seen.append(ngettext("%(num)s other unit", "%(num)s other units", others))
    return seen


def _campaign() -> Campaign:
    """The campaign named by `?campaign=`, else the newest wave the user sees; 404 if none."""
    campaign = newest_campaign(None, request.args.get("campaign"))
    if campaign is None:
        abort(404)
    return campaign


def _analysis(campaign: Campaign) -> dict[str, Any]:
    return analysis_of(db.session, campaign, current_app.config["SURVEYAPP_INSTRUMENTS_DIR"])


def _metric(metrics: list[str]) -> str | None:
    chosen = request.args.get("metric")
    if chosen is None:
        return metrics[0] if metrics else None
    return chosen if chosen in metrics else None


def _scope() -> set[int] | None:
    scope = current_actor().scope
    return None if scope is None else set(scope)


@bp.get("/actions/effects")
@role_required(*ACTION_ROLES)
def action_effects_page() -> ResponseReturnValue:
    """Each action done between two waves, with its difference-in-differences estimate on the
    measure it addressed and on the chosen outcome metric."""
    campaign = _campaign()
    previous = previous_wave(db.session, campaign)
    metrics = metric_names(db.session)
    metric = _metric(metrics)
    rows: list[dict[str, Any]] = []
    meta = None
    if previous is not None:
        after = _analysis(campaign)
        meta = campaign_meta(db.session, campaign, after, "", current_language())
        scope = _scope()
        for found in action_effects.action_effects(
            db.session, _analysis(previous), after, previous, campaign, scope, metric
        ):
            rows.append(
                {
                    "effect": found,
                    "measure": scale_label(meta, found.construct),
                    "units": _units(found.survey.treated, scope),
                    "comparison": _units(found.survey.comparison, scope),
                    "verdict": VERDICTS[found.survey.verdict],
                    "outcome_verdict": found.outcome and VERDICTS[found.outcome.verdict],
                }
            )
    return render_template(
        "staff/actions/effects.html",
        campaign=campaign,
        campaigns=visible_campaigns(db.session, current_user.id),
        previous=previous,
        rows=rows,
        metrics=metrics,
        metric=metric,
    )


def measures(analysis: dict[str, Any]) -> list[str]:
    """What units may be placed by: readiness, literacy and the ADKAR scales the campaign has."""
    found = {READINESS, LITERACY}
    for group in shown_units(analysis).values():
        found |= {key for key in group.get("scales", {}) if key.startswith("adoption-readiness.")}
        break
    return [READINESS, LITERACY, *sorted(found - {READINESS, LITERACY})]


def scatter_svg(chart: Any) -> Markup:
    """The scatter drawn by the brief's own template environment (labels escaped)."""
    module = render.environment().get_template("scatter.html").module
    return Markup(module.scatter(chart, "say-do"))


@bp.get("/actions/say-do")
@role_required(*ACTION_ROLES)
def say_do_page() -> ResponseReturnValue:
    """Units placed by a survey measure against an outcome metric, a sentence per quadrant."""
    campaign = _campaign()
    analysis = _analysis(campaign)
    meta = campaign_meta(db.session, campaign, analysis, "", current_language())
    metrics = metric_names(db.session)
    metric = _metric(metrics)
    choices = measures(analysis)
    measure = request.args.get("measure", READINESS)
    if measure not in choices:
        measure = READINESS
    result = chart = None
    names: dict[str, str] = {}
    if metric is not None:
        result = action_effects.say_do_gap(
            db.session, analysis, campaign, measure, metric, _scope()
        )
        names = dict(db.session.execute(sa.select(OrgUnit.code, OrgUnit.name)).all())
        if result.points:
            chart = scatter(
                gettext("What units say against what they do"),
                gettext("Each dot is a unit; dashed lines are the medians."),
                scale_label(meta, measure),
                metric_label(metric),
                [(names[p.code], p.say, p.do, p.quadrant) for p in result.points],
                result.say_cut,
                result.do_cut,
                {q: str(name) for q, name in CORNER_NAMES.items()},
            )
    return render_template(
        "staff/actions/say_do.html",
        campaign=campaign,
        campaigns=visible_campaigns(db.session, current_user.id),
        metrics=metrics,
        metric=metric,
        measures=[(m, scale_label(meta, m)) for m in choices],
        measure=measure,
        measure_name=scale_label(meta, measure),
        result=result,
        chart=scatter_svg(chart) if chart else None,
        by_quadrant={
            q: [names[p.code] for p in result.in_quadrant(q)] if result else [] for q in QUADRANTS
        },
        quadrants=QUADRANTS,
        sentences=SENTENCES,
    )
