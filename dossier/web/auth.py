"""Accounts and access in the web workspace: the glue between :mod:`dossier.access` and the
app of :mod:`dossier.web.app`.

:func:`install` (called by ``create_app`` when the app is served on a host) decides the
mode, puts :class:`~dossier.access.asgi.AccessMiddleware` in front of every request, and
plugs the route table's two hooks:

- ``authorize(request, action, dossier)`` — :func:`dossier.access.status_for` for the
  route's declared action: a dossier the user does not reach is 404, an action the role
  may not do 403 (an anonymous request never gets this far: the middleware sends it to
  the login page);
- ``audit(request, action, dossier, response)`` — writes the entries the handler noted
  with :func:`note` (fields changed, files uploaded/moved, packages built …).

Handlers that need a finer check than their route's action (a file under ``output/`` is a
download; an extracted value may target a findings field) call :func:`require`.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from jinja2.ext import Extension
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ..access import audit as audit_log
from ..access import http, sessions
from ..access.asgi import AccessMiddleware
from ..access.modes import Mode, serve_mode
from ..access.roles import ACTION_LABELS, LOCAL_USER, Role, User, action_for_field, allowed, status_for
from ..access.store import AccessStore

PUBLIC = "public"  # the route-table action of the login page: no authorisation asked


class CsrfFormExtension(Extension):
    """Puts the request's CSRF token as the FIRST field of every ``<form method="post">``
    of every template, when the template is compiled — no form can forget it, and the
    middleware finds it before any uploaded file."""

    _FORM = re.compile(r"(<form\b[^>]*\bmethod=[\"']?post[\"']?[^>]*>)", re.IGNORECASE)

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        return self._FORM.sub(r'\1<input type="hidden" name="csrf_token" value="{{ csrf_token(request) }}">', source)


def current_user(request: Request) -> User | None:
    return getattr(request.state, "user", LOCAL_USER if not _installed(request) else None)


def _installed(request: Request) -> bool:
    return getattr(request.app.state, "access_store", None) is not None


def can(request: Request, action: str, dossier: str | None = None) -> bool:
    """For templates: show a button only to those who may use it (the server checks anyway)."""
    return allowed(current_user(request), action, dossier)


def csrf_token(request: Request) -> str:
    return getattr(request.state, "csrf", "")


def require(request: Request, action: str, dossier: str | None) -> None:
    """Refuse (HTTPException 404/403) unless the user may do ``action`` on ``dossier``."""
    status = status_for(current_user(request), action, dossier)
    if status == 404:
        raise HTTPException(404, "没有这个档案")
    if status != 200:
        user = current_user(request)
        who = f"{user.name}（{user.role.label}）" if user else "未登录用户"
        raise HTTPException(403, f"{who}无权{ACTION_LABELS[action]}。")


def require_fields(request: Request, dossier: str, paths: list[str]) -> None:
    """Refuse (403) a change to any field the user's role may not write."""
    user = current_user(request)
    for path in paths:
        if not allowed(user, action_for_field(path), dossier):
            who = f"{user.name}（{user.role.label}）" if user else "未登录用户"
            raise HTTPException(403, f"{who}无权修改 {path}（{ACTION_LABELS[action_for_field(path)]}）。")


def note(request: Request, event: str, **entry: Any) -> None:
    """Remember an audit entry; the route's audit hook writes it after the handler ran."""
    request.state.__dict__.setdefault("_audit", []).append((event, entry))


def note_outcomes(request: Request, outcomes: list[Any]) -> None:
    request.state.__dict__.setdefault("_audit_outcomes", []).extend(outcomes)


async def created(request: Request, folder: str, detail: str) -> None:
    """A new dossier (新建档案, 新年度): logged; a consultant who reaches only assigned
    dossiers is given the new one, so that it does not vanish from their dashboard."""
    from starlette.concurrency import run_in_threadpool

    note(request, "create", dossier=folder, target=folder, detail=detail)
    user = current_user(request)
    store = getattr(request.app.state, "access_store", None)
    if store is not None and user is not None and user.id is not None and user.role is Role.CONSULTANT \
            and user.scope == "assigned":
        from ..access.users import assign

        await run_in_threadpool(assign, store, user.name, [folder])


def record_build(request: Request):
    """The callback that logs a package build when its background job ends."""
    store = getattr(request.app.state, "access_store", None)
    if store is None:
        return None
    user, dossier = current_user(request), request.state.dossier_name

    def done(job) -> None:
        if job.state == "done":
            result = job.result
            audit_log.record(store, user, "build", dossier=dossier, target="、".join(result.get("packages", [])),
                             detail=f"共 {result.get('pages')} 页；压缩包 {result.get('archive')}"
                                    + (f"；缺失 {len(result['missing'])} 项" if result.get("missing") else ""))
        else:
            audit_log.record(store, user, "build", dossier=dossier, target="output/package",
                             detail="失败：" + (job.error or "")[:300])

    return done


def visible(request: Request, rows: list[Any]) -> list[Any]:
    """The dashboard rows (objects with ``.name``) the user may view."""
    user = current_user(request)
    return [r for r in rows if allowed(user, "view", r.name)]


async def _authorize(request: Request, action: str, dossier: str | None) -> Response | None:
    if action == PUBLIC:
        return None
    require(request, action, dossier)
    return None


def _record(request: Request, dossier: str | None) -> None:
    store = request.app.state.access_store
    user = current_user(request)
    outcomes = request.state.__dict__.get("_audit_outcomes") or []
    if outcomes and dossier:
        audit_log.record_outcomes(store, user, dossier, outcomes)
    for event, entry in request.state.__dict__.get("_audit") or []:
        audit_log.record(store, user, event, dossier=entry.pop("dossier", dossier), **entry)


async def _audit(request: Request, action: str, dossier: str | None, response: Response) -> None:
    if request.state.__dict__.get("_audit") or request.state.__dict__.get("_audit_outcomes"):
        from starlette.concurrency import run_in_threadpool

        await run_in_threadpool(_record, request, dossier)


def install(app, workspace, host: str) -> Mode:
    """Accounts and access for ``app`` served on ``host``; raises NoAdminError (exit 2)
    when serving beyond this computer without an admin account."""
    store = AccessStore(workspace)
    mode = serve_mode(store, host)
    app.state.access_store = store
    app.state.access_mode = mode
    app.state.authorize = _authorize
    app.state.audit = _audit
    app.state.visible = visible
    app.add_middleware(AccessMiddleware, store=store, mode=mode)
    return mode


def template_globals(env) -> None:
    env.add_extension(CsrfFormExtension)
    env.globals.update(can=can, current_user=current_user, csrf_token=csrf_token, Role=Role)


# --- login and logout --------------------------------------------------------------------


def _safe_next(target: str | None) -> str:
    """Only a path of this site (no scheme, no host, no ``//``) as the page after login."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else "/"


async def login_form(request: Request, error: str = "", status: int = 200, name: str = "") -> Response:
    from .rendering import render

    if not _installed(request) or request.app.state.access_mode is Mode.LOCAL:
        return RedirectResponse("/", status_code=303)
    if getattr(request.state, "user", None) is not None and request.method == "GET":
        return RedirectResponse(_safe_next(request.query_params.get("next")), status_code=303)
    return render(request, "login.html", {"error": error, "next": _safe_next(request.query_params.get("next")),
                                          "login_name": name}, status)


async def login(request: Request) -> Response:
    from starlette.concurrency import run_in_threadpool

    if not _installed(request) or request.app.state.access_mode is Mode.LOCAL:
        return RedirectResponse("/", status_code=303)
    form = await request.form()
    name, password = str(form.get("name", "")).strip(), str(form.get("password", ""))
    ip = request.client.host if request.client else None
    store = request.app.state.access_store
    try:
        _, token = await run_in_threadpool(sessions.login, store, name, password, ip)
    except sessions.LoginError as exc:
        return await login_form(request, str(exc), 429 if exc.locked_until else 401, name)
    response = RedirectResponse(_safe_next(str(form.get("next", ""))), status_code=303)
    https = request.url.scheme == "https"
    response.set_cookie(http.SESSION_COOKIE, token, **http.cookie_options(https, max_age=sessions.MAX_AGE))
    response.delete_cookie(http.PRESESSION_COOKIE, path="/")
    return response


async def logout(request: Request) -> Response:
    from starlette.concurrency import run_in_threadpool

    if _installed(request) and request.app.state.access_mode is Mode.ACCOUNTS:
        token = request.cookies.get(http.SESSION_COOKIE)
        await run_in_threadpool(sessions.logout, request.app.state.access_store, token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(http.SESSION_COOKIE, path="/")
    return response
