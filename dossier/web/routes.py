"""THE route table of the web workspace: every URL, the action it performs and whether it
concerns one dossier.

Every request goes through :func:`guard`, which

1. resolves ``{name}`` to the dossier's folder through :meth:`Workspace.dossier_dir`
   (404 for anything that is not a dossier of the workspace);
2. asks ``app.state.authorize(request, action, dossier)`` whether the request may go on
   (accounts and roles, :mod:`.auth`: :func:`dossier.access.allowed` for the route's
   action — 404 for a dossier the user does not reach, 403 for an action the role may not
   do; the action ``public`` (the login page) asks nothing);
3. calls the handler, then ``app.state.audit(request, action, dossier, response)``.

Handlers resolve every file path through :func:`dossier.web.workspace.confine`.
A new route is one line here; nothing else routes requests.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..access.roles import ACTION_LABELS
from . import actions, admin, auth, evidence, findings, pages
from .resources import STATIC_DIR

# action → what it means, in Chinese: the vocabulary of dossier.access (documented in
# dossier/access/roles.py), plus ``public`` for the login page
ACTIONS: dict[str, str] = {**ACTION_LABELS, "public": "登录"}

Handler = Callable[[Request], Awaitable[Response]]


@dataclass(frozen=True)
class WebRoute:
    path: str
    handler: Handler
    action: str
    methods: tuple[str, ...] = ("GET",)
    dossier: bool = True  # the path has {name}: the route concerns that dossier

    def __post_init__(self) -> None:
        # checked when the route table is built (also under python -O)
        if self.action not in ACTIONS:
            raise ValueError(f"route {self.path}: unknown action {self.action!r}; known: {', '.join(ACTIONS)}")
        if self.dossier != ("{name}" in self.path):
            raise ValueError(f"route {self.path}: dossier={self.dossier} but the path "
                             + ("has" if "{name}" in self.path else "has no") + " {name}")


D = "/d/{name}"
POST = ("POST",)

ROUTES: list[WebRoute] = [
    # 工作台 and 新建档案
    WebRoute("/login", auth.login_form, "public", dossier=False),
    WebRoute("/login", auth.login, "public", POST, dossier=False),
    WebRoute("/logout", auth.logout, "public", POST, dossier=False),
    WebRoute("/", pages.dashboard, "list", dossier=False),  # rows: only dossiers the user may view
    WebRoute("/new", pages.new_form, "create", dossier=False),
    WebRoute("/new", pages.new_create, "create", POST, dossier=False),
    WebRoute("/new/workbook", pages.new_from_workbook, "create", POST, dossier=False),
    WebRoute("/new/forms", pages.new_from_forms, "create", POST, dossier=False),
    # a dossier's tabs
    WebRoute(D, pages.dossier_home, "view"),
    WebRoute(D + "/data/{tab}", pages.data_tab, "view"),
    WebRoute(D + "/data/self", pages.data_save, "edit_self_assessment", POST),  # 自评: before the general one
    WebRoute(D + "/data/{tab}", pages.data_save, "edit_data", POST),
    WebRoute(D + "/evidence", evidence.evidence_tab, "view"),
    WebRoute(D + "/evidence/{no:int}/upload", evidence.upload, "upload", POST),
    WebRoute(D + "/evidence/remove", evidence.remove, "delete_evidence", POST),
    WebRoute(D + "/file/{path:path}", evidence.file, "view"),  # files under output/ also need "download"
    WebRoute(D + "/extract", evidence.proposals, "view"),
    WebRoute(D + "/extract/accept", evidence.accept, "edit_data", POST),
    WebRoute(D + "/score", actions.score_tab, "view"),
    WebRoute(D + "/score.svg", actions.score_chart, "view"),
    WebRoute(D + "/forms", actions.forms_tab, "view"),
    WebRoute(D + "/forms/render", actions.forms_render, "render", POST),
    WebRoute(D + "/package", actions.package_tab, "view"),
    WebRoute(D + "/package/build", actions.package_build, "build", POST),
    WebRoute(D + "/package/events", actions.package_events, "view"),
    WebRoute(D + "/package/status", actions.package_status, "view"),
    WebRoute(D + "/rollover", actions.rollover_tab, "view"),
    WebRoute(D + "/rollover", actions.rollover_run, "rollover", POST),
    WebRoute(D + "/workbook", actions.workbook_tab, "view"),
    # the data-entry workbook is for those who enter the data
    WebRoute(D + "/workbook.xlsx", actions.workbook_download, "edit_data"),
    WebRoute(D + "/workbook/preview", actions.workbook_preview, "edit_data", POST),
    WebRoute(D + "/workbook/apply", actions.workbook_apply, "edit_data", POST),  # + each field's own action
    # 第三方评价, the audit log, accounts
    WebRoute(D + "/findings", findings.findings_tab, "view"),
    WebRoute(D + "/findings", findings.findings_save, "edit_findings", POST),
    WebRoute(D + "/audit", admin.dossier_audit, "view"),
    WebRoute("/admin/users", admin.users_page, "admin", dossier=False),
    WebRoute("/admin/users", admin.users_add, "admin", POST, dossier=False),
    WebRoute("/admin/users/remove", admin.users_remove, "admin", POST, dossier=False),
    WebRoute("/admin/users/passwd", admin.users_passwd, "admin", POST, dossier=False),
    WebRoute("/admin/users/assign", admin.users_assign, "admin", POST, dossier=False),
    WebRoute("/admin/audit", admin.workspace_audit, "admin", dossier=False),
]


async def _maybe_await(value):
    return await value if inspect.isawaitable(value) else value


def guard(route: WebRoute) -> Handler:
    async def endpoint(request: Request) -> Response:
        name = None
        if route.dossier:
            name = request.path_params["name"]
            request.state.dossier_dir = request.app.state.workspace.dossier_dir(name)
        request.state.dossier_name = name
        request.state.action = route.action
        refused = await _maybe_await(request.app.state.authorize(request, route.action, name))
        if refused is not None:
            return refused
        response = await route.handler(request)
        await _maybe_await(request.app.state.audit(request, route.action, name, response))
        return response

    endpoint.__name__ = route.handler.__name__
    return endpoint


def starlette_routes() -> list:
    routes: list = [Route(r.path, guard(r), methods=list(r.methods), name=f"{r.handler.__name__}_{'_'.join(r.methods).lower()}")
                    for r in ROUTES]
    routes.append(Mount("/static", app=StaticFiles(directory=STATIC_DIR), name="static"))
    return routes


def route_for(path: str, method: str = "GET") -> WebRoute | None:
    """The table entry that serves ``method path`` (tests check that every route is covered)."""
    from starlette.routing import Match

    for r in ROUTES:
        if method in r.methods:
            match, _ = Route(r.path, r.handler, methods=list(r.methods)).matches({"type": "http", "path": path, "method": method})
            if match == Match.FULL:
                return r
    return None
