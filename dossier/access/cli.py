"""``dossier users``: accounts of a workspace served to a team (thin layer over .users)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

workspace_option = click.option(
    "--workspace", "-w", "workspace", type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=".", show_default=True, help="工作区文件夹（dossier serve 所服务的文件夹）。")


def _read_password(confirm: bool = True) -> str:
    """From a hidden prompt on a terminal, else the first line of stdin — never an argument
    (arguments are visible to every user of the computer in `ps`)."""
    stdin = sys.stdin
    if stdin.isatty():
        return click.prompt("密码", hide_input=True, confirmation_prompt="再次输入密码" if confirm else False)
    line = stdin.readline()
    return line.rstrip("\r\n")


def _store(workspace: Path):
    from .store import AccessStore

    return AccessStore(workspace)


def _actor() -> str:
    import getpass

    try:
        return f"命令行（{getpass.getuser()}）"
    except Exception:  # pragma: no cover - no user name in the environment
        return "命令行"


def _change_account(workspace: Path, name: str, event: str, change, *, keep_old: bool = False):
    """Find account ``name``, apply ``change(store, account_name)`` and record ``event``
    in the audit log (with the account as it was when ``keep_old``)."""
    from . import audit
    from .users import get_account

    store = _store(workspace)
    account = get_account(store, name)
    change(store, account.name)
    audit.record(store, _actor(), event, target=account.name, **({"old": account.to_dict()} if keep_old else {}))
    return account


def _where(account, none: str = "（无）") -> str:
    """The dossiers an account may open, as the commands print them."""
    return "全部档案" if account.scope == "all" else ("、".join(account.dossiers) or none)


@click.group()
def users() -> None:
    """管理工作区的账户（多人通过浏览器使用 dossier serve 时）：角色 admin（管理员）、consultant（咨询顾问）、client（申报企业）、evaluator（第三方评价机构）。"""


@users.command("add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(["admin", "consultant", "client", "evaluator"]),
              help="角色。")
@click.option("--dossier", "dossiers", multiple=True, metavar="DIR",
              help="可访问的档案文件夹（可重复）；申报企业和第三方评价机构必须指定，咨询顾问不指定时可访问全部档案。")
@workspace_option
def users_add(name: str, role: str, dossiers: tuple[str, ...], workspace: Path) -> None:
    """添加账户 NAME；密码在提示时输入（或从标准输入读一行）。"""
    from . import audit
    from .users import AccountError, add_user, dossier_name

    store = _store(workspace)
    names = [dossier_name(store, d) for d in dossiers]
    if role in ("client", "evaluator") and not names:
        raise AccountError(f"角色 {role} 只能访问指定的档案：请用 --dossier 指定至少一个档案文件夹。")
    account = add_user(store, name, role, _read_password(), names)
    audit.record(store, _actor(), "user_add", target=account.name, new=account.to_dict())
    click.echo(f"已添加用户 {account.name}（{account.role.label}），可访问：{_where(account)}。")


@users.command("list")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出（供程序读取）。")
@workspace_option
def users_list(as_json: bool, workspace: Path) -> None:
    """列出账户、角色和可访问的档案（不显示密码或其散列值）。"""
    from .users import list_accounts

    accounts = list_accounts(_store(workspace))
    if as_json:
        click.echo(json.dumps([a.to_dict() for a in accounts], ensure_ascii=False, indent=2))
        return
    if not accounts:
        click.echo("没有账户：dossier serve 只能在本机（127.0.0.1）以单用户方式使用。")
        return
    for a in accounts:
        click.echo(f"{a.name}\t{a.role.value}（{a.role.label}）\t{_where(a, '（尚未分配档案）')}")


@users.command("passwd")
@click.argument("name")
@workspace_option
def users_passwd(name: str, workspace: Path) -> None:
    """修改 NAME 的密码（该用户已登录的会话全部失效）。"""
    from .users import set_password

    account = _change_account(workspace, name, "user_passwd",
                              lambda store, account: set_password(store, account, _read_password()))
    click.echo(f"已修改 {account.name} 的密码。")


@users.command("remove")
@click.argument("name")
@workspace_option
def users_remove(name: str, workspace: Path) -> None:
    """删除账户 NAME（其会话随之失效；审计记录保留）。"""
    from .users import remove_user

    account = _change_account(workspace, name, "user_remove", remove_user, keep_old=True)
    click.echo(f"已删除用户 {account.name}。")


@users.command("assign")
@click.argument("name")
@click.option("--dossier", "dossiers", multiple=True, required=True, metavar="DIR", help="档案文件夹（可重复）。")
@click.option("--remove", is_flag=True, help="取消这些档案的访问权限。")
@workspace_option
def users_assign(name: str, dossiers: tuple[str, ...], remove: bool, workspace: Path) -> None:
    """给 NAME 分配（或用 --remove 取消）可访问的档案。"""
    from . import audit
    from .users import assign, dossier_name, get_account

    store = _store(workspace)
    before = get_account(store, name)
    # A removed dossier folder may be gone already: take away its name as given.
    names = [Path(d).name for d in dossiers] if remove else [dossier_name(store, d) for d in dossiers]
    account = assign(store, before.name, names, remove=remove)
    audit.record(store, _actor(), "user_assign", target=account.name, old=before.to_dict(), new=account.to_dict())
    click.echo(f"{account.name} 现在可访问：{_where(account)}。")
