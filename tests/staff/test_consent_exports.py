"""HR's per-person export links only for confidential campaigns that ask ai-literacy (they
would fail elsewhere), and the admin warned on making a confidential campaign without it."""

from __future__ import annotations

from tests.plugins.staff import csrf_token
from tests.plugins.survey import make_campaign


def test_the_admin_form_warns_and_hr_sees_only_export_links_that_work(app, run, login_as):
    make_campaign(app, run, mode="confidential", open_now=True, slug="conf-no-lit")
    make_campaign(app, run, instruments=("ai-literacy",), open_now=True, slug="anon-lit")
    make_campaign(
        app, run, mode="confidential", instruments=("ai-literacy",), open_now=True, slug="conf-lit"
    )
    admin = login_as("admin")
    new = "/staff/admin/campaigns/new"
    form = {
        "csrf_token": csrf_token(admin, new),
        "slug": "warned",
        "name": "Warned",
        "instruments": ["ai-concerns@2"],
        "units": "OPS",
        "mode": "confidential",
        "min_group_size": "5",
        "min_comment_group_size": "10",
    }
    made = admin.post(new, data=form)
    assert made.status_code == 302, made.get_data(as_text=True)
    page = admin.get(made.location).get_data(as_text=True)
    assert "Note: campaign warned is confidential but does not ask the ai-literacy" in page

    home = login_as("hr").get("/staff/").get_data(as_text=True)
    exports = {
        slug: (
            f'/staff/campaigns/{slug}/exports/literacy.csv"' in home,
            f"/staff/campaigns/{slug}/exports/literacy.csv?per_person=1" in home,
        )
        for slug in ("conf-no-lit", "anon-lit", "conf-lit")
    }
    assert exports == {
        "conf-no-lit": (False, False),
        "anon-lit": (True, False),
        "conf-lit": (True, True),
    }


def test_the_dashboard_offers_the_literacy_export_only_where_it_works(app, run, login_as):
    make_campaign(app, run, open_now=True, slug="no-lit")
    make_campaign(app, run, instruments=("ai-literacy",), open_now=True, slug="lit")
    admin = login_as("admin")
    for slug, offered in (("no-lit", False), ("lit", True)):
        page = admin.get(f"/staff/campaigns/{slug}/")
        assert page.status_code == 200
        link = f"/staff/campaigns/{slug}/exports/literacy.xlsx"
        assert (link in page.get_data(as_text=True)) is offered, slug
