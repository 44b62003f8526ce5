"""Staff-area fixtures: users made by the real service, signed in through the real form."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from surveyapp.extensions import db
from surveyapp.models import User
from surveyapp.services.users import create_user, set_language

PASSWORD = "correct horse battery staple"
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


class IsolatedClient(FlaskClient):
    """A client whose every request gets its own app context, as in a real server.

    Fixtures such as `survey_layout` hold an app context open; without this, requests would
    share its `g` (Flask-Login's cached user, Flask-WTF's token) and its database session.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


def new_client(app: Flask) -> FlaskClient:
    """A browser-like client of `app` that keeps its cookies between requests."""
    return IsolatedClient(app, app.response_class, use_cookies=True)


def csrf_token(client: FlaskClient, path: str = "/staff/login") -> str:
    """The CSRF token of the form on `path`, read from the page as a browser would."""
    page = client.get(path)
    found = TOKEN.search(page.get_data(as_text=True))
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD, next_: str | None = None):
    """Submit the login form with its token; the response, not followed."""
    token = csrf_token(client)
    url = "/staff/login" if next_ is None else f"/staff/login?next={next_}"
    return client.post(url, data={"email": email, "password": password, "csrf_token": token})


def add_user(app: Flask, email: str, role: str, units: Sequence[str] = ()) -> None:
    """A staff user created through `services.users.create_user`, committed."""
    with app.app_context():
        create_user(db.session, email, role, list(units), PASSWORD)
        db.session.commit()


@pytest.fixture
def login_as(app: Flask) -> Callable[..., FlaskClient]:
    """`login_as("change_manager", units=["OPS"])`: a new client signed in as such a user."""

    def login(role: str, units: Sequence[str] = (), email: str | None = None) -> FlaskClient:
        email = email or f"{role.replace('_', '-')}-{'-'.join(units).lower() or 'all'}@example.org"
        add_user(app, email, role, units)
        client = new_client(app)
        response = sign_in(client, email)
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return login


def add_user_with_language(app: Flask, email: str, units: Sequence[str], language: str) -> None:
    """A change manager who chose `language` for the staff area (kept on the account)."""
    add_user(app, email, "change_manager", units)
    with app.app_context():
        user_id = db.session.scalar(sa.select(User.id).where(User.email == email))
        set_language(db.session, user_id, language, app.config["SURVEYAPP_LOCALES"])
        db.session.commit()


def upload(client, path: str, text: str | bytes, name: str = "roster.csv", token: bool = True):
    """Send `text` as the file of the upload form posting to `path`, as a browser does."""
    content = text if isinstance(text, bytes) else text.encode()
    data: dict = {"file": FileStorage(io.BytesIO(content), name, content_type="text/csv")}
    if token:
        data["csrf_token"] = csrf_token(client, path.removesuffix("/import"))
    # encoded here, in memory: the test client spools large bodies to a file it never closes
    boundary, body = encode_multipart(data)
    return client.post(path, data=body, content_type=f"multipart/form-data; boundary={boundary}")
