"""THE route table of the web workspace: every URL, the action it performs and whether it
concerns one dossier.

Every request goes through :func:`guard`, which

1. resolves ``{name}`` to the dossier's folder through :meth:`Workspace.dossier_dir`
   (404 for anything that is not a dossier of the workspace);
2. asks ``app.state.authorize(request, action, dossier)`` whether the request may go on
   (the default allows everything; accounts and roles plug in here and answer with a
   Response — a redirect to the login page, a 403 — to refuse);
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

from . import actions, evidence, pages
from .resources import STATIC_DIR

# action → what it means, in Chinese (shown in refusals and the audit log)
ACTIONS: dict[str, str] = {
    "view": "查看",
    "create": "新建档案",
    "edit_data": "修改数据",
    "edit_findings": "修改自评",
    "upload": "上传材料",
    "delete_evidence": "移除材料",
    "render": "生成表单",
    "build": "生成材料包",
    "download": "下载",
    "rollover": "新年度",
    "admin": "管理",
}

Handler = Callable[[Request], Awaitable[Response]]


@dataclass(frozen=True)
class WebRoute:
    path: str
    handler: Handler
    action: str
    methods: tuple[str, ...] = ("GET",)
    dossier: bool = True  # the path has {name}: the route concerns that dossier

    def __post_init__(self) -> None:
        assert self.action in ACTIONS, self.action
        assert self.dossier == ("{name}" in self.path), self.path


D = "/d/{name}"
POST = ("POST",)

ROUTES: list[WebRoute] = [
    # 工作台 and 新建档案
    WebRoute("/", pages.dashboard, "view", dossier=False),
    WebRoute("/new", pages.new_form, "create", dossier=False),
    WebRoute("/new", pages.new_create, "create", POST, dossier=False),
    WebRoute("/new/workbook", pages.new_from_workbook, "create", POST, dossier=False),
    WebRoute("/new/forms", pages.new_from_forms, "create", POST, dossier=False),
    # a dossier's tabs
    WebRoute(D, pages.dossier_home, "view"),
    WebRoute(D + "/data/{tab}", pages.data_tab, "view"),
    WebRoute(D + "/data/self", pages.data_save, "edit_findings", POST),  # 自评: before the general one
    WebRoute(D + "/data/{tab}", pages.data_save, "edit_data", POST),
    WebRoute(D + "/evidence", evidence.evidence_tab, "view"),
    WebRoute(D + "/evidence/{no:int}/upload", evidence.upload, "upload", POST),
    WebRoute(D + "/evidence/remove", evidence.remove, "delete_evidence", POST),
    WebRoute(D + "/file/{path:path}", evidence.file, "download"),
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
    WebRoute(D + "/workbook.xlsx", actions.workbook_download, "download"),
    WebRoute(D + "/workbook/preview", actions.workbook_preview, "upload", POST),
    WebRoute(D + "/workbook/apply", actions.workbook_apply, "edit_data", POST),
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
