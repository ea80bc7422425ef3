"""Interactive API docs that work offline: Swagger UI at /docs and ReDoc at /redoc, their
JavaScript and CSS served by the app from the pinned `fastapi-offline` package (FastAPI's
defaults load them from a CDN). Create the app with `docs_url=None, redoc_url=None`, then
call `install_docs(app)`.

Each page carries its own Content-Security-Policy (`api.security.docs_policy`): this server's
files, plus the page's one inline `<script>` (Swagger UI's set-up, the OAuth2 redirect) allowed by
its SHA-256 hash. ReDoc adds `<style>` elements as it loads and starts a `blob:` worker, so
/redoc alone also allows inline styles and that worker (never inline scripts). Its "API docs by
Redocly" logo, an image on cdn.redoc.ly, is blocked: the docs load nothing remote.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from api.security import docs_policy

ASSETS_URL = "/docs-assets"
DOCS_URL = "/docs"
REDOC_URL = "/redoc"
OAUTH2_REDIRECT_URL = "/docs/oauth2-redirect"


def with_policy(page: HTMLResponse, *, redoc: bool = False) -> HTMLResponse:
    """The page with the Content-Security-Policy that allows its own inline blocks by hash."""
    html = bytes(page.body).decode("utf-8")
    page.headers["Content-Security-Policy"] = docs_policy(html, redoc=redoc)
    return page


def assets_dir() -> Path:
    """The folder of `swagger-ui-bundle.js`, `swagger-ui.css`, `redoc.standalone.js`."""
    return Path(str(files("fastapi_offline") / "static"))


def install_docs(app: FastAPI) -> None:
    """Mount the assets at ASSETS_URL and serve /docs, its OAuth2 redirect page and /redoc."""
    app.mount(ASSETS_URL, StaticFiles(directory=assets_dir()), name="docs-assets")
    openapi_url = app.openapi_url or "/openapi.json"

    def root(request: Request) -> str:
        return str(request.scope.get("root_path", "")).rstrip("/")

    @app.get(DOCS_URL, include_in_schema=False)
    def swagger_ui(request: Request) -> HTMLResponse:
        prefix = root(request)
        page = get_swagger_ui_html(
            openapi_url=prefix + openapi_url,
            title=f"{app.title} - Swagger UI",
            oauth2_redirect_url=prefix + OAUTH2_REDIRECT_URL,
            swagger_js_url=f"{prefix}{ASSETS_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{prefix}{ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url=f"{prefix}{ASSETS_URL}/favicon.png",
            # no badge fetched from the public validator service
            swagger_ui_parameters={"validatorUrl": None},
        )
        return with_policy(page)

    @app.get(OAUTH2_REDIRECT_URL, include_in_schema=False)
    def swagger_ui_redirect() -> HTMLResponse:
        return with_policy(get_swagger_ui_oauth2_redirect_html())

    @app.get(REDOC_URL, include_in_schema=False)
    def redoc(request: Request) -> HTMLResponse:
        prefix = root(request)
        page = get_redoc_html(
            openapi_url=prefix + openapi_url,
            title=f"{app.title} - ReDoc",
            redoc_js_url=f"{prefix}{ASSETS_URL}/redoc.standalone.js",
            redoc_favicon_url=f"{prefix}{ASSETS_URL}/favicon.png",
            with_google_fonts=False,
        )
        return with_policy(page, redoc=True)
