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


def _chosen(request: Request, form) -> list[str]:
    """The dossiers ticked in the form that exist in the workspace."""
    known = set(request.app.state.workspace.names())
    return [str(d) for d in form.getlist("dossier") if str(d) in known]


async def _account_action(request: Request, change) -> Response:
    """Run ``change(store, form)`` off the event loop; it returns (audit event, account,
    message, audit details). An AccountError shows the accounts page again with it."""
    form = await request.form()
    store = _store(request)
    try:
        event, account, message, details = await run_in_threadpool(change, store, form)
    except users.AccountError as exc:
        return await users_page(request, str(exc), 400)
    note(request, event, dossier=None, target=account.name, **details)
    return _back(message)


async def users_add(request: Request) -> Response:
    def add(store, form):
        chosen = _chosen(request, form)
        role = str(form.get("role", ""))
        if role in (Role.CLIENT.value, Role.EVALUATOR.value) and not chosen:
            raise users.AccountError("申报企业和第三方评价机构必须指定至少一个档案。")
        account = users.add_user(store, str(form.get("name", "")), role, str(form.get("password", "")), chosen)
        return "user_add", account, f"已添加用户 {account.name}（{account.role.label}）", {"new": account.to_dict()}

    return await _account_action(request, add)


async def users_remove(request: Request) -> Response:
    me = current_user(request)

    def remove(store, form):
        account = users.get_account(store, str(form.get("name", "")))
        if me and account.id == me.id:
            raise users.AccountError("不能删除自己正在使用的账户。")
        users.remove_user(store, account.name)
        return "user_remove", account, f"已删除用户 {account.name}", {"old": account.to_dict()}

    return await _account_action(request, remove)


async def users_passwd(request: Request) -> Response:
    def passwd(store, form):
        account = users.get_account(store, str(form.get("name", "")))
        users.set_password(store, account.name, str(form.get("password", "")))
        return "user_passwd", account, f"已修改 {account.name} 的密码（其已登录的会话已失效）", {}

    return await _account_action(request, passwd)


async def users_assign(request: Request) -> Response:
    def reassign(store, form):
        chosen = _chosen(request, form)
        before = users.get_account(store, str(form.get("name", "")))
        gone = [d for d in before.dossiers if d not in chosen]
        new = [d for d in chosen if d not in before.dossiers]
        after = before
        if gone:
            after = users.assign(store, before.name, gone, remove=True)
        if new:
            after = users.assign(store, before.name, new)
        return "user_assign", after, f"{after.name} 可访问的档案已更新", {"old": before.to_dict(), "new": after.to_dict()}

    return await _account_action(request, reassign)


async def dossier_audit(request: Request) -> Response:
    context = dossier_context(request, "audit")
    entries = await run_in_threadpool(lambda: audit_log.entries(_store(request), request.state.dossier_name))
    context.update(entries=entries)
    return render(request, "audit.html", context)


async def workspace_audit(request: Request) -> Response:
    entries = await run_in_threadpool(lambda: audit_log.entries(_store(request), workspace=True, limit=1000))
    return render(request, "audit_all.html", {"entries": entries})
