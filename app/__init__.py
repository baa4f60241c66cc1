"""Diskurs: articles with a moderated discussion under each."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app.application import Diskurs
from app.config import load_settings, per_process_limits_warning
from app.extensions import csrf, db, login_manager, migrate
from app.trusted_hosts import TrustedHosts

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the application; *overrides* win over every other setting (tests use them)."""
    app = Diskurs(
        __name__,
        instance_path=str(PROJECT_ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    instance_path = Path((overrides or {}).get("INSTANCE_PATH", app.instance_path))
    app.config.update(load_settings(instance_path, overrides))

    from app import caching, input_guard, whole_numbers

    # First, so that its after-request hook runs last and sees every other hook's cookies.
    caching.init_app(app, PROJECT_ROOT)
    if app.config["TRUSTED_HOSTS"]:
        app.wsgi_app = TrustedHosts(app.wsgi_app, app.config["TRUSTED_HOSTS"])
    hops = int(app.config["TRUSTED_PROXIES"])
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    warning = per_process_limits_warning(app.config)
    if warning:
        app.logger.warning(warning)

    input_guard.init_app(app)  # first of the request hooks
    whole_numbers.init_app(app)  # before any route is added
    _init_extensions(app)
    _register_blueprints(app)

    from app import cli, errors, i18n, legacy_links, links, security, static_versions, templating

    i18n.init_app(app)
    links.init_app(app)
    templating.init_app(app)
    static_versions.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    legacy_links.init_app(app)
    cli.init_app(app)
    return app


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)

    from app.auth.loader import init_login

    init_login(app)


def _register_blueprints(app: Flask) -> None:
    from app.account import bp as account_bp
    from app.admin import bp as admin_bp
    from app.articles import bp as articles_bp
    from app.auth import bp as auth_bp
    from app.comments import bp as comments_bp
    from app.moderation import bp as moderation_bp
    from app.notifications import bp as notifications_bp

    for blueprint in (articles_bp, auth_bp, account_bp, comments_bp, moderation_bp, admin_bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(notifications_bp)
    from app.moderation.flags import flags_bp

    app.register_blueprint(flags_bp)
    from app.discovery import bp as discovery_bp
    from app.search.routes import bp as search_bp

    app.register_blueprint(search_bp)
    app.register_blueprint(discovery_bp)
