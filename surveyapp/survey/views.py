"""Respondent pages: `/s/<token>` for personal links and drafts, `/o/<code>` for open links.

Every state a link can be in has its own page and status (not open yet 403, closed 410,
expired draft 410, unknown 404, already submitted 200, since a double click is not an error).
Unknown and malformed tokens get the same 404, and repeated misses from one address are
rate-limited, so the pages cannot be used to find out which tokens exist; only misses count
and only misses are refused, so a guesser behind the same address as a site's staff (a shared
NAT) never blocks their valid links.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, current_app, g, redirect, render_template, request, session, url_for
from flask_babel import refresh
from flask_limiter.util import get_remote_address
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from surveyapp.extensions import db
from surveyapp.i18n import LEVEL_NAMES
from surveyapp.models import Function
from surveyapp.rate_limits import count
from surveyapp.services import device_drafts, open_guard, page_flow, respondents, visits
from surveyapp.services import kiosk as kiosk_device
from surveyapp.services.action_plans import since_last_wave
from surveyapp.services.consent import consent_asked, literacy_questions
from surveyapp.services.kiosk import DEVICE_COOKIE
from surveyapp.services.sealing import Seal
from surveyapp.services.survey_pages import (
    SurveyPage,
    SurveyPlan,
    campaign_locales,
    estimated_minutes,
    level_lengths,
    respondent_level,
    survey_plan,
)
from surveyapp.services.tokens import hash_token
from surveyapp.services.visits import CampaignRow, OpenLinkRow, Visit, as_record
from surveyapp.survey.blueprint import bp
from surveyapp.survey.forms import StartForm, open_start_form, page_answers, page_form

MISSED_LOOKUPS = "30 per minute"  # per address; only answers that found no link count
STATE_STATUS = {
    "not_open": 403,
    "closed": 410,
    "retired": 410,
    "expired": 410,
    "submitted": 200,
    "unknown": 404,
    "nothing_asked": 200,
    "staff_browser": 403,
    "device_limit": 429,
}
STAFF_COOKIE_KEY = "_user_id"  # where Flask-Login keeps the staff session's secret
Page = Response | tuple[str, int] | str


def _use_locale(offered: list[str], saved: str | None = None, roster: str | None = None) -> str:
    """Pick the page's language: the one asked for (switch link or form), the one saved with
    the draft, the browser's, then the roster's; Flask-Babel renders the page in it."""
    asked = request.values.get("lang")
    browser = request.accept_languages.best_match(offered)
    for candidate in (asked, saved, browser, roster):
        if candidate in offered:
            g.locale = candidate
            break
    else:
        g.locale = offered[0]
    g.languages = offered
    refresh()
    return g.locale


def _plan(campaign: CampaignRow) -> SurveyPlan:
    """The campaign's plan, looked up once per request (a request serves one campaign)."""
    if "survey_plan" not in g:
        g.survey_plan = survey_plan(db.session, campaign)
    return g.survey_plan


def _pages(visit: Visit) -> list[SurveyPage]:
    """The pages of the campaign asked of this respondent's level."""
    return _plan(visit.campaign).pages_for(respondent_level(visit))


def _offered(campaign: CampaignRow) -> list[str]:
    plan = _plan(campaign)
    return campaign_locales(plan, current_app.config["SURVEYAPP_LOCALES"]) or ["en"]


def _state_page(state: str, visit: Visit | None = None, token: str | None = None) -> Page:
    """The plain page for a link that cannot take answers now; a miss counts to the limit."""
    if state == "unknown" and not count(MISSED_LOOKUPS, "missed-link", get_remote_address()):
        abort(429)
    if visit is not None:
        _use_locale(_offered(visit.campaign), visit.draft.locale if visit.draft else None)
        if state == "submitted" and visit.kiosk and visit.open_link is not None:
            return redirect(url_for("survey.open_start", code=visit.open_link.code, kiosk=1))
    else:
        _use_locale(list(current_app.config["SURVEYAPP_LOCALES"]))
    return (
        render_template("survey/state.html", state=state, visit=visit, token=token),
        STATE_STATUS[state],
    )


def _visit(token: str) -> Visit | None:
    return visits.find_visit(db.session, token, for_update=request.method == "POST")


@bp.route("/s/<token>", methods=["GET", "POST"])
def start(token: str) -> Page:
    """The first page of a personal link: who sees what, consent, language; or resume."""
    visit = _visit(token)
    if visit is None:
        return _state_page("unknown")
    state = visit.state()
    restarting = state == "expired" and visit.invitation is not None and request.method == "POST"
    if state != "ready" and not restarting:
        return _state_page(state, visit, token)
    if not _pages(visit):
        return _state_page("nothing_asked", visit, token)
    if visit.draft is not None and not restarting:
        return redirect(url_for("survey.page", token=token, number=visit.draft.page + 1))
    person = visit.invitation.person if visit.invitation else None
    locale = _use_locale(_offered(visit.campaign), roster=person.locale if person else None)
    form = StartForm()
    asks_consent = consent_asked(visit.campaign.privacy_mode, _pages(visit))
    if form.validate_on_submit():
        agreed = asks_consent and bool(form.consent.data)
        respondents.start_personal_draft(db.session, visit, locale, agreed)
        db.session.commit()
        return redirect(url_for("survey.page", token=token, number=1))
    return render_template(
        "survey/start.html",
        visit=visit,
        form=form,
        token=token,
        open_link=None,
        consent=asks_consent,
        literacy=literacy_questions(_pages(visit)),
        questions=sum(len(page.questions) for page in _pages(visit)),
        minutes=estimated_minutes(_pages(visit)),
        said_and_done=since_last_wave(db.session, visit.campaign.id, person.unit_id)
        if person
        else [],
    )


def _page_index(visit: Visit | None, token: str, number: int) -> int | Page:
    """The index of page `number` when the visit may answer it, else the page to show."""
    if visit is None:
        return _state_page("unknown")
    state = visit.state()
    if state != "ready":
        return _state_page(state, visit, token)
    if visit.draft is None:
        return redirect(url_for("survey.start", token=token))
    pages = _pages(visit)
    if not pages:
        return _state_page("nothing_asked", visit, token)
    last = min(visit.draft.page, len(pages) - 1)
    if not 0 <= number - 1 <= last:
        return redirect(url_for("survey.page", token=token, number=last + 1))
    return number - 1


@bp.route("/s/<token>/<int:number>", methods=["GET", "POST"])
def page(token: str, number: int) -> Page:
    """One page of questions: saved at every step, validated on Next, submitted at the end."""
    visit = _visit(token)
    index = _page_index(visit, token, number)
    if not isinstance(index, int):
        return index
    assert visit is not None and visit.draft is not None
    pages = _pages(visit)
    current = pages[index]
    locale = _use_locale(_offered(visit.campaign), visit.draft.locale)
    form = page_form(current, locale, visit.draft.answers)
    if request.method == "POST":
        action = request.form.get("action", "next")
        valid = not page_flow.needs_check(action) or form.validate()
        visit = page_flow.visit_as_writer(db.session, token, visit)
        index = _page_index(visit, token, number)
        if not isinstance(index, int):
            return index
        assert visit is not None and visit.draft is not None
        if valid:
            return _after_post(visit, token, pages, index, form, locale, action)
        draft, answers = visit.draft, page_answers(form, current)
        respondents.save_page(db.session, draft, current, answers, locale, draft.page)
        db.session.commit()
        return _render_page(visit, token, pages, index, form, locale), 422
    if request.args.get("check"):
        form.validate()
    return _render_page(visit, token, pages, index, form, locale)


def _after_post(
    visit: Visit,
    token: str,
    pages: list[SurveyPage],
    index: int,
    form: FlaskForm,
    locale: str,
    action: str,
) -> Response:
    """Take the page's step (services.page_flow), then show where it leads."""
    outcome = page_flow.post_page(
        db.session,
        visit,
        pages,
        index,
        page_answers(form, pages[index]),
        locale,
        action,
        offered=_offered(visit.campaign),
        layout=_plan(visit.campaign).layout,
        seal=Seal.held_responses(current_app.config),
        refusal=lambda: _open_link_refusal(
            visit.open_link, visit.draft.device_hash, visit.draft.kiosk
        ),
    )
    db.session.commit()
    step = outcome.step
    if step == "kiosk_done":
        session.clear()
        return redirect(url_for("survey.open_start", code=outcome.kiosk_code, kiosk=1))
    if step == "language":
        number = outcome.page + 1
        return redirect(url_for("survey.page", token=token, number=number, lang=outcome.locale))
    if step in ("back", "next"):
        return redirect(url_for("survey.page", token=token, number=outcome.page + 1))
    if step == "paused":
        return redirect(url_for("survey.saved", token=token))
    if step == "incomplete":
        return redirect(url_for("survey.page", token=token, number=outcome.page + 1, check=1))
    if step == "refused":
        return redirect(url_for("survey.refused", token=token, why=outcome.reason))
    if outcome.kiosk_code:
        session.clear()
        return redirect(url_for("survey.open_start", code=outcome.kiosk_code, kiosk=1, done=1))
    return redirect(url_for("survey.start", token=token))


def _render_page(
    visit: Visit, token: str, pages: list[SurveyPage], index: int, form: FlaskForm, locale: str
) -> str:
    return render_template(
        "survey/page.html",
        visit=visit,
        token=token,
        pages=pages,
        index=index,
        current=pages[index],
        form=form,
        locale=locale,
        offered=_offered(visit.campaign),
    )


@bp.route("/o/<code>", methods=["GET", "POST"])
def open_start(code: str) -> Page:
    """An open link's first page: privacy, function and role; `?kiosk=1` on a shared device."""
    link = visits.find_open_link(db.session, code)
    if link is None:
        return _state_page("unknown")
    kiosk = request.args.get("kiosk") == "1"
    visit = Visit(as_record(CampaignRow, link.campaign), None, as_record(OpenLinkRow, link), None)
    state = visit.state()
    if state != "ready":
        return _state_page(state, visit)
    offered = _offered(visit.campaign)
    device = kiosk_device.device_token(request.cookies.get(DEVICE_COOKIE))
    refused = _open_link_refusal(visit.open_link, hash_token(device), kiosk)
    if refused is not None:
        return _with_device(current_app.make_response(_state_page(refused, visit)), device)
    if request.method == "GET" and not kiosk:  # this browser's unfinished draft, if any
        resumed = device_drafts.resumable_token(db.session, link.id, device)
        if resumed is not None:
            return _with_device(redirect(url_for("survey.start", token=resumed)), device)
    locale = _use_locale(offered)
    functions = list(db.session.scalars(sa.select(Function).order_by(Function.name)))
    form = open_start_form(functions, locale)
    if form.validate_on_submit():
        function = next(f for f in functions if f.code == form.function.data)
        new_token = respondents.start_open_draft(
            db.session, link, function, form.level.data, locale, device, kiosk
        )
        db.session.commit()
        return _with_device(redirect(url_for("survey.page", token=new_token, number=1)), device)
    status = 422 if form.errors else 200
    page_html = render_template(
        "survey/start.html",
        visit=visit,
        form=form,
        token=None,
        open_link=link,
        consent=False,
        literacy=literacy_questions(_plan(visit.campaign).pages),
        lengths=level_lengths(_plan(visit.campaign)),
        level_names=LEVEL_NAMES,
        kiosk=kiosk,
        finished=request.args.get("done") == "1",
        said_and_done=since_last_wave(db.session, link.campaign_id, link.unit_id),
    )
    return _with_device(current_app.make_response((page_html, status)), device)


def _open_link_refusal(
    open_link: OpenLinkRow | None, device_hash: str | None, kiosk: bool
) -> str | None:
    """Why an open link refuses this browser ('staff_browser', 'device_limit'), or None.

    Checked when someone starts and again when they submit, so signing in to the staff side
    or answering in another tab in between does not get round it (services/open_guard.py).
    """
    if open_link is None:
        return None
    if open_guard.staff_browser(db.session, session.get(STAFF_COOKIE_KEY)):
        return "staff_browser"
    if open_guard.device_at_limit(db.session, open_link.id, device_hash, kiosk):
        return "device_limit"
    return None


@bp.get("/s/<token>/refused")
def refused(token: str) -> Page:
    """Why an open-link submission was not taken; the answers stay in the draft."""
    visit = _visit(token)
    why = request.args.get("why")
    if visit is None or why not in ("staff_browser", "device_limit"):
        return _state_page("unknown")
    return _state_page(why, visit, token)


def _with_device(response: Response, device: str) -> Response:
    """Give an open link's browser its device cookie (kept as long as browsers keep one)."""
    response.set_cookie(
        DEVICE_COOKIE,
        device,
        max_age=kiosk_device.DEVICE_COOKIE_SECONDS,
        httponly=True,
        secure=request.is_secure,
        samesite="Lax",
    )
    return response
