"""Accounts: create, list, change password, remove, assign dossiers; check a password.

Passwords are hashed with argon2id (argon2-cffi, its default parameters); the database
never sees a password. A dossier is named by its folder inside the workspace.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..errors import BadInputError
from .roles import Role, User
from .store import AccessStore

MIN_PASSWORD_LENGTH = 10
MAX_NAME_LENGTH = 64

_hasher = PasswordHasher()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    # Verified against when the account does not exist, so that a wrong name takes as
    # long as a wrong password (no telling which names exist from the response time).
    return _hasher.hash("dossier-no-such-account")


class AccountError(BadInputError):
    """A bad account operation (unknown user, duplicate name, weak password): exit 2."""


@dataclass(frozen=True)
class Account:
    """A row of ``users list``: the account without its hash."""

    id: int
    name: str
    role: Role
    scope: str
    dossiers: tuple[str, ...]
    created_at: float

    def as_user(self) -> User:
        return User(name=self.name, role=self.role, scope=self.scope,
                    dossiers=frozenset(self.dossiers), id=self.id)

    def to_dict(self) -> dict:
        return {"name": self.name, "role": self.role.value, "scope": self.scope,
                "dossiers": list(self.dossiers)}


def name_key(name: str) -> str:
    return unicodedata.normalize("NFKC", name).casefold()


def check_name(name: str) -> str:
    name = unicodedata.normalize("NFKC", name or "").strip()
    if not name:
        raise AccountError("用户名不能为空。")
    if len(name) > MAX_NAME_LENGTH:
        raise AccountError(f"用户名过长（{len(name)} 个字符，最多 {MAX_NAME_LENGTH} 个）。")
    if any(unicodedata.category(c)[0] in "CZ" and c != " " for c in name):
        raise AccountError("用户名不能含有控制字符或换行。")
    return name


def check_password(password: str, name: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"密码太短：至少 {MIN_PASSWORD_LENGTH} 个字符。")
    if name_key(password) == name_key(name):
        raise AccountError("密码不能与用户名相同。")


def dossier_name(store: AccessStore, directory: str | Path) -> str:
    """The folder name of a dossier given as a path (absolute, relative or bare name).

    The dossier must be a folder directly inside the workspace that holds a dossier.yaml.
    """
    raw = Path(directory)
    workspace = store.workspace.resolve()
    candidates = [raw] if raw.is_absolute() else [Path.cwd() / raw, workspace / raw]
    for candidate in candidates:
        try:
            resolved = candidate.resolve()
        except OSError:
            continue
        if resolved.parent == workspace and (resolved / "dossier.yaml").is_file():
            return resolved.name
    raise AccountError(
        f"{directory} 不是工作区 {workspace} 中的档案文件夹（应为工作区下一级、含 dossier.yaml 的文件夹）。")


def _scope_for(role: Role, scope: str | None, dossiers: list[str]) -> str:
    if role is Role.ADMIN:
        if dossiers:
            raise AccountError("管理员可访问全部档案，不能指定 --dossier。")
        return "all"
    if role is Role.CONSULTANT:
        return scope or ("assigned" if dossiers else "all")
    if scope == "all":
        raise AccountError(f"{role.label}（{role.value}）只能访问指定的档案。")
    return "assigned"


def add_user(store: AccessStore, name: str, role: Role | str, password: str,
             dossiers: list[str] | tuple[str, ...] = (), scope: str | None = None) -> Account:
    """Create an account. ``dossiers`` are folder names (see :func:`dossier_name`).

    A consultant without dossiers reaches every dossier (scope ``all``); with dossiers,
    only those. Clients and evaluators reach only their assigned dossiers.
    """
    name = check_name(name)
    try:
        role = Role(role)
    except ValueError:
        raise AccountError(f"未知角色 {role}：应为 admin、consultant、client 或 evaluator。") from None
    check_password(password, name)
    names = sorted(set(dossiers))
    scope = _scope_for(role, scope, names)
    now = store.now()
    with store.connect() as conn:
        if conn.execute("SELECT 1 FROM users WHERE name_key = ?", (name_key(name),)).fetchone():
            raise AccountError(f"用户 {name} 已存在。")
        cur = conn.execute(
            "INSERT INTO users (name, name_key, role, scope, password_hash, created_at, password_set_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (name, name_key(name), role.value, scope, _hasher.hash(password), now, now))
        conn.executemany("INSERT INTO assignments VALUES (?, ?)", [(cur.lastrowid, d) for d in names])
    return get_account(store, name)


def _account(conn, row) -> Account:
    dossiers = tuple(r[0] for r in conn.execute(
        "SELECT dossier FROM assignments WHERE user_id = ? ORDER BY dossier", (row["id"],)))
    return Account(id=row["id"], name=row["name"], role=Role(row["role"]), scope=row["scope"],
                   dossiers=dossiers, created_at=row["created_at"])


def find_account(store: AccessStore, name: str) -> Account | None:
    if not store.exists:
        return None
    with store.connect(write=False) as conn:
        row = conn.execute("SELECT * FROM users WHERE name_key = ?", (name_key(name),)).fetchone()
        return _account(conn, row) if row else None


def get_account(store: AccessStore, name: str) -> Account:
    account = find_account(store, name)
    if account is None:
        raise AccountError(f"没有用户 {name}。")
    return account


def account_by_id(store: AccessStore, user_id: int) -> Account | None:
    with store.connect(write=False) as conn:
        row = conn.execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone()
        return _account(conn, row) if row else None


def list_accounts(store: AccessStore) -> list[Account]:
    if not store.exists:
        return []
    with store.connect(write=False) as conn:
        rows = conn.execute("SELECT * FROM users ORDER BY role, name_key").fetchall()
        return [_account(conn, row) for row in rows]


def count_accounts(store: AccessStore, role: Role | None = None) -> int:
    """How many accounts (of ``role``) exist; 0 when there is no database yet (not created)."""
    if not store.exists:
        return 0
    with store.connect(write=False) as conn:
        if role is None:
            return conn.execute("SELECT COUNT(*) FROM users").fetchone()[0]
        return conn.execute("SELECT COUNT(*) FROM users WHERE role = ?", (Role(role).value,)).fetchone()[0]


def set_password(store: AccessStore, name: str, password: str) -> None:
    """Change a password; every session of that account ends."""
    account = get_account(store, name)
    check_password(password, account.name)
    with store.connect() as conn:
        conn.execute("UPDATE users SET password_hash = ?, password_set_at = ? WHERE id = ?",
                     (_hasher.hash(password), store.now(), account.id))
        conn.execute("DELETE FROM sessions WHERE user_id = ?", (account.id,))


def remove_user(store: AccessStore, name: str) -> None:
    """Remove an account with its assignments and sessions. The last admin stays."""
    account = get_account(store, name)
    with store.connect() as conn:
        if account.role is Role.ADMIN:
            admins = conn.execute("SELECT COUNT(*) FROM users WHERE role = 'admin'").fetchone()[0]
            if admins <= 1:
                raise AccountError(f"{account.name} 是唯一的管理员，不能删除（请先添加另一个管理员）。")
        conn.execute("DELETE FROM users WHERE id = ?", (account.id,))


def assign(store: AccessStore, name: str, dossiers: list[str], *, remove: bool = False) -> Account:
    """Give (or with ``remove=True`` take away) dossiers of an account."""
    account = get_account(store, name)
    if account.role is Role.ADMIN:
        raise AccountError("管理员可访问全部档案，无需指定。")
    with store.connect() as conn:
        for dossier in dossiers:
            if remove:
                conn.execute("DELETE FROM assignments WHERE user_id = ? AND dossier = ?", (account.id, dossier))
            else:
                conn.execute("INSERT OR IGNORE INTO assignments VALUES (?, ?)", (account.id, dossier))
        if account.role is Role.CONSULTANT and not remove and dossiers:
            # A consultant given particular dossiers reaches only those from now on.
            conn.execute("UPDATE users SET scope = 'assigned' WHERE id = ?", (account.id,))
    return get_account(store, name)


def verify_password(store: AccessStore, name: str, password: str) -> Account | None:
    """The account if ``password`` is right, else None (same time either way)."""
    with store.connect(write=False) as conn:
        row = conn.execute("SELECT id, password_hash FROM users WHERE name_key = ?",
                           (name_key(name or ""),)).fetchone()
    stored = row["password_hash"] if row else _dummy_hash()
    try:
        _hasher.verify(stored, password or "")
    except (VerificationError, InvalidHashError):
        return None
    if row is None:
        return None
    if _hasher.check_needs_rehash(stored):
        with store.connect() as conn:
            conn.execute("UPDATE users SET password_hash = ? WHERE id = ?", (_hasher.hash(password), row["id"]))
    return account_by_id(store, row["id"])
