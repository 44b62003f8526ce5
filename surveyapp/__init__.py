"""surveyapp: the application factory. Importing the package stays cheap; create_app wires."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app from the environment; `test_config` (testing mode) overrides settings."""
    from surveyapp import config

    app = Flask(__name__, instance_relative_config=True)
    mode = "testing" if test_config is not None else None
    app.config.update(config.load_config(mode, Path(app.instance_path)))
    app.config.update(test_config or {})
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = config.engine_options(
        app.config["SQLALCHEMY_DATABASE_URI"]
    )
    register_extensions(app)
    register_blueprints(app)
    return app


def register_extensions(app: Flask) -> None:
    """Bind the extension objects and the per-connection database settings."""
    from surveyapp.database import install_connection_settings
    from surveyapp.extensions import db, migrate

    install_connection_settings()
    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).resolve().parent.parent / "migrations"))


def register_blueprints(app: Flask) -> None:
    """Attach the blueprints; each feature brings its own."""
    from surveyapp.health import bp as health_bp

    app.register_blueprint(health_bp)
