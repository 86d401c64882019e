"""The web workspace application: ``create_app(workspace)`` → an ASGI app (Starlette).

The folder stays the single source of truth: every page reads the dossier files, every
edit goes through :mod:`dossier.edit`. Long work (the package build) runs in a
background thread per dossier (:mod:`.jobs`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Callable

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.templating import Jinja2Templates

from ..errors import DossierError
from .dashboard import StatusCache
from .jobs import Jobs
from .resources import TEMPLATES_DIR
from . import auth
from .routes import ACTIONS, starlette_routes
from .workspace import Workspace

DEFAULT_MAX_UPLOAD = 200 * 1024 * 1024


def _allow(request: Request, action: str, dossier: str | None) -> Response | None:
    return None


def _no_audit(request: Request, action: str, dossier: str | None, response: Response) -> None:
    return None


def templates() -> Jinja2Templates:
    t = Jinja2Templates(directory=str(TEMPLATES_DIR))
    t.env.globals["ACTIONS"] = ACTIONS
    t.env.filters["num"] = _num
    t.env.filters["web"] = web_note
    auth.template_globals(t.env)
    return t


# The workbook's notes speak of cells; the same rows in a browser are inputs.
_WEB_NOTES = (("（单元格内换行：Alt+Enter）", ""), ("黄色单元格为必填（★），灰色为只读", "★ 为必填"),
              ("（行不够时在空行之间插入行）", "；保存后又有新的空行"), ("单元格", "栏"))


def web_note(text: Any) -> Any:
    if not isinstance(text, str):
        return text
    for old, new in _WEB_NOTES:
        text = text.replace(old, new)
    return text


def _num(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


async def _http_error(request: Request, exc: HTTPException) -> Response:
    if request.headers.get("accept", "").startswith("application/json") or request.url.path.endswith((".svg", "/events")):
        return JSONResponse({"error": exc.detail}, status_code=exc.status_code)
    return request.app.state.templates.TemplateResponse(
        request, "error.html", {"status": exc.status_code, "message": exc.detail}, status_code=exc.status_code)


async def _dossier_error(request: Request, exc: DossierError) -> Response:
    status = 400 if exc.exit_code == 2 else 409 if exc.exit_code == 1 else 500
    return request.app.state.templates.TemplateResponse(
        request, "error.html", {"status": status, "message": str(exc)}, status_code=status)


def create_app(workspace: Path, *, max_upload: int = DEFAULT_MAX_UPLOAD,
               authorize: Callable[..., Any] | None = None, audit: Callable[..., Any] | None = None,
               today: Callable[[], dt.date] = dt.date.today, host: str | None = None) -> Starlette:
    """The app over ``workspace`` (a folder whose sub-folders are dossiers).

    ``host``: the address it is served on (``dossier serve --host``). Given, accounts and
    access are installed (:mod:`.auth`): the single-user local mode on a loopback address
    with no accounts, else logins and roles; a non-loopback host without an admin account
    raises NoAdminError. Without ``host`` (in-process tests of the pages) the hooks below
    decide: ``authorize(request, action, dossier) -> Response | None`` and
    ``audit(request, action, dossier, response)``.
    """
    app = Starlette(routes=starlette_routes(), exception_handlers={HTTPException: _http_error,
                                                                   DossierError: _dossier_error})
    app.state.workspace = Workspace(workspace)
    app.state.templates = templates()
    app.state.max_upload = max_upload
    app.state.authorize = authorize or _allow
    app.state.audit = audit or _no_audit
    app.state.today = today
    app.state.status = StatusCache(app.state.workspace, today)
    app.state.jobs = Jobs()
    app.state.visible = lambda request, rows: rows
    app.state.access_store = None
    if host is not None:
        auth.install(app, workspace, host)
    return app
