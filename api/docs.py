"""The documentation page: Swagger UI over the published contract, served by this app.

flask-smorest's page loaded Swagger UI from a CDN, so the page on which people paste
their API keys ran whatever script the CDN sent, and showed nothing without internet.
Here Swagger UI's files come from a package pinned with hashes in the lock files
(flask-swagger-ui's copy of swagger-ui-dist), and the page runs scripts of this origin
only (``api.headers.DOCS_CSP``): it has no inline script, so the one script of ours
reads the contract's address from the page.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, send_from_directory

SWAGGER_UI = Path(str(importlib.resources.files("flask_swagger_ui"))) / "dist"
OURS = Path(__file__).parent / "static"
# What the page loads, where each file lies and its type (named, not guessed from the
# host's MIME table: a script served as text/plain is not run under nosniff). Nothing
# else is served here.
ASSETS = {
    "swagger-ui.css": (SWAGGER_UI, "text/css"),
    "swagger-ui-bundle.js": (SWAGGER_UI, "text/javascript"),
    "docs.js": (OURS, "text/javascript"),
}
ASSET_MAX_AGE = 24 * 3600  # seconds; a new release's files are at most a day late


def register(blueprint: Blueprint, path: str) -> None:
    """The page at ``path`` of the docs blueprint, its files under it."""
    path = "/" + path.strip("/")
    blueprint.add_url_rule(path, endpoint="openapi_swagger_ui", view_func=page)
    blueprint.add_url_rule(f"{path}/<name>", endpoint="docs_asset", view_func=asset)


def page() -> str:
    return render_template("docs.html", title=current_app.config["API_TITLE"])


def asset(name: str):
    if name not in ASSETS:
        abort(404)
    folder, mimetype = ASSETS[name]
    return send_from_directory(folder, name, mimetype=mimetype, max_age=ASSET_MAX_AGE)
