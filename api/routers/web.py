"""The analysts' web page at `/`, served from this app so the browser fetches nothing else.

- `GET /`: `web/static/index.html`, a page of plain ES modules (hash routes: `#/actor/ID`, …)
  that reads the REST API and `/sparql` of this same server.
- `/web/…`: the page's own files (`web/static`), mounted as they are.
- `/web/vendor/{name}`: front-end packages installed by `npm ci` in `web/` (`make install`);
  only the files listed in `VENDOR` are served, never the rest of `web/node_modules`.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from kg.errors import NotFoundError

WEB_DIR = Path(__file__).resolve().parents[2] / "web"
STATIC_DIR = WEB_DIR / "static"
NODE_MODULES = WEB_DIR / "node_modules"

# name under /web/vendor/ -> (path under web/node_modules, media type)
VENDOR: dict[str, tuple[str, str]] = {
    "cytoscape.min.js": ("cytoscape/dist/cytoscape.min.js", "text/javascript"),
    "codemirror.js": ("codemirror/lib/codemirror.js", "text/javascript"),
    "codemirror.css": ("codemirror/lib/codemirror.css", "text/css"),
    "sparql.js": ("codemirror/mode/sparql/sparql.js", "text/javascript"),
}

router = APIRouter(include_in_schema=False)


@router.get("/")
def index() -> FileResponse:
    """The page; its views are chosen client-side by the URL fragment."""
    return FileResponse(STATIC_DIR / "index.html", media_type="text/html")


@router.get("/web/vendor/{name}")
def vendor(name: str) -> FileResponse:
    """One allow-listed file of an npm package (404 problem+json when not installed)."""
    entry = VENDOR.get(name)
    if entry is None:
        raise NotFoundError(f"no vendor file {name!r}; known: {', '.join(sorted(VENDOR))}")
    relative, media_type = entry
    path = NODE_MODULES / relative
    if not path.is_file():
        raise NotFoundError(f"{relative} is not installed; run `make install` (npm ci in web/)")
    return FileResponse(path, media_type=media_type)


def install_web(app: FastAPI) -> None:
    """Serve the page at `/` and its files under `/web` (the vendor route before the mount)."""
    app.include_router(router)
    app.mount("/web", StaticFiles(directory=STATIC_DIR), name="web")
