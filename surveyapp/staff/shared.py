"""Helpers every staff module uses: the role guard and the 404 for what is out of scope."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user, login_required


def role_required(*roles: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Signed-in users of these roles only; other roles get 404, visitors the login page."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        @login_required
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if current_user.role not in roles:
                abort(404)
            return view(*args, **kwargs)

        return guarded

    return decorate
