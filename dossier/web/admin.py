"""账户管理 (admin) and the audit logs (per dossier, and of the whole workspace)."""

from __future__ import annotations

from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ..access import audit as audit_log
from ..access import users
from ..access.roles import ROLE_LABELS, Role
from .auth import current_user, note
from .pages import dossier_context, render


def _store(request: Request):
    store = request.app.state.access_store
    if store is None:  # pages tested without accounts installed
        from ..access.store import AccessStore

        store = request.app.state.access_store = AccessStore(request.app.state.workspace.root)
    return store


async def users_page(request: Request, error: str = "", status: int = 200) -> Response:
    store = _store(request)
    accounts = await run_in_threadpool(users.list_accounts, store)
    return render(request, "admin_users.html", {
        "accounts": accounts, "roles": ROLE_LABELS, "dossiers": request.app.state.workspace.names(),
        "error": error, "message": request.query_params.get("msg", ""),
        "min_password": users.MIN_PASSWORD_LENGTH}, status)


def _back(message: str) -> Response:
    return RedirectResponse(f"/admin/users?msg={quote(message)}", status_code=303)


async def users_add(request: Request) -> Response:
    form = await request.form()
    store = _store(request)
    known = set(request.app.state.workspace.names())
    chosen = [str(d) for d in form.getlist("dossier") if str(d) in known]
    role = str(form.get("role", ""))
    try:
        if role in (Role.CLIENT.value, Role.EVALUATOR.value) and not chosen:
            raise users.AccountError("申报企业和第三方评价机构必须指定至少一个档案。")
        account = await run_in_threadpool(users.add_user, store, str(form.get("name", "")), role,
                                          str(form.get("password", "")), chosen)
    except users.AccountError as exc:
        return await users_page(request, str(exc), 400)
    note(request, "user_add", dossier=None, target=account.name, new=account.to_dict())
    return _back(f"已添加用户 {account.name}（{account.role.label}）")


async def users_remove(request: Request) -> Response:
    form = await request.form()
    store = _store(request)
    name = str(form.get("name", ""))
    try:
        account = await run_in_threadpool(users.get_account, store, name)
        if current_user(request) and account.id == current_user(request).id:
            raise users.AccountError("不能删除自己正在使用的账户。")
        await run_in_threadpool(users.remove_user, store, account.name)
    except users.AccountError as exc:
        return await users_page(request, str(exc), 400)
    note(request, "user_remove", dossier=None, target=account.name, old=account.to_dict())
    return _back(f"已删除用户 {account.name}")


async def users_passwd(request: Request) -> Response:
    form = await request.form()
    store = _store(request)
    try:
        account = await run_in_threadpool(users.get_account, store, str(form.get("name", "")))
        await run_in_threadpool(users.set_password, store, account.name, str(form.get("password", "")))
    except users.AccountError as exc:
        return await users_page(request, str(exc), 400)
    note(request, "user_passwd", dossier=None, target=account.name)
    return _back(f"已修改 {account.name} 的密码（其已登录的会话已失效）")


async def users_assign(request: Request) -> Response:
    form = await request.form()
    store = _store(request)
    known = set(request.app.state.workspace.names())
    chosen = [str(d) for d in form.getlist("dossier") if str(d) in known]
    try:
        before = await run_in_threadpool(users.get_account, store, str(form.get("name", "")))
        gone = [d for d in before.dossiers if d not in chosen]
        new = [d for d in chosen if d not in before.dossiers]
        after = before
        if gone:
            after = await run_in_threadpool(lambda: users.assign(store, before.name, gone, remove=True))
        if new:
            after = await run_in_threadpool(users.assign, store, before.name, new)
    except users.AccountError as exc:
        return await users_page(request, str(exc), 400)
    note(request, "user_assign", dossier=None, target=after.name, old=before.to_dict(), new=after.to_dict())
    return _back(f"{after.name} 可访问的档案已更新")


async def dossier_audit(request: Request) -> Response:
    context = dossier_context(request, "audit")
    entries = await run_in_threadpool(lambda: audit_log.entries(_store(request), request.state.dossier_name))
    context.update(entries=entries)
    return render(request, "audit.html", context)


async def workspace_audit(request: Request) -> Response:
    entries = await run_in_threadpool(lambda: audit_log.entries(_store(request), workspace=True, limit=1000))
    return render(request, "audit_all.html", {"entries": entries})
