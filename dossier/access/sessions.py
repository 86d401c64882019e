"""Logging in and out: throttled password checks, session tokens, CSRF tokens.

- A session token is 32 random bytes (URL-safe text) in an HttpOnly cookie; the database
  keeps only its SHA-256, so a copy of the database opens no session. A session ends after
  ``IDLE_TIMEOUT`` without a request or ``MAX_AGE`` after login, at logout, and when the
  account's password changes or the account is removed.
- Login is throttled: ``MAX_FAILURES`` failed attempts for one name within
  ``FAILURE_WINDOW`` lock that name for ``LOCKOUT``; ``MAX_IP_FAILURES`` from one address
  lock the address. While locked even the right password is refused. Every failure and
  every lock-out is written to the audit log.
- The CSRF token of a request is an HMAC of its session (or, before login, of a random
  pre-session cookie) under the workspace's secret: nothing to store, nothing to guess.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from ..errors import DossierError
from . import audit
from .roles import User
from .store import AccessStore
from .users import Account, account_by_id, name_key, verify_password

IDLE_TIMEOUT = 2 * 3600
MAX_AGE = 12 * 3600
MAX_FAILURES = 5
MAX_IP_FAILURES = 20
FAILURE_WINDOW = 15 * 60
LOCKOUT = 15 * 60
_TOUCH_EVERY = 60  # seconds between last_seen updates of one session


class LoginError(DossierError):
    """Login refused: wrong name or password, or locked out. The message says which
    (never whether the name exists)."""

    exit_code = 2

    def __init__(self, message: str, locked_until: float | None = None) -> None:
        super().__init__(message)
        self.locked_until = locked_until


@dataclass(frozen=True)
class Session:
    user: User
    token_hash: str
    expires_at: float


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# -- lock-out --------------------------------------------------------------------------

def _lock_until(conn, key: str, now: float) -> float | None:
    row = conn.execute("SELECT until FROM locks WHERE key = ?", (key,)).fetchone()
    return row[0] if row and row[0] > now else None


def _failures(conn, column: str, value: str, lock_key: str, now: float) -> int:
    since = now - FAILURE_WINDOW
    row = conn.execute(f"SELECT MAX(at) FROM login_attempts WHERE {column} = ? AND success = 1", (value,)).fetchone()
    if row[0]:
        since = max(since, row[0])
    row = conn.execute("SELECT until FROM locks WHERE key = ?", (lock_key,)).fetchone()
    if row:
        since = max(since, row[0])
    return conn.execute(
        f"SELECT COUNT(*) FROM login_attempts WHERE {column} = ? AND success = 0 AND at > ?",
        (value, since)).fetchone()[0]


def locked_until(store: AccessStore, name: str, ip: str | None = None) -> float | None:
    """When the lock on this name (or address) ends, or None if neither is locked."""
    now = store.now()
    with store.connect() as conn:
        ends = [_lock_until(conn, f"name:{name_key(name)}", now)]
        if ip:
            ends.append(_lock_until(conn, f"ip:{ip}", now))
    ends = [e for e in ends if e]
    return max(ends) if ends else None


def _minutes(seconds: float) -> int:
    return max(1, int(seconds + 59) // 60)


def login(store: AccessStore, name: str, password: str, ip: str | None = None) -> tuple[Account, str]:
    """Check the password and open a session: ``(account, token)`` for the cookie.

    Raises :class:`LoginError` for a wrong name or password and while locked out.
    """
    key = name_key(name or "")
    now = store.now()
    until = locked_until(store, name or "", ip)
    if until:
        with store.connect() as conn:
            conn.execute("INSERT INTO login_attempts (name_key, ip, at, success) VALUES (?, ?, ?, -1)", (key, ip, now))
        audit.record(store, name or None, "login_failed", detail=f"已锁定，拒绝登录（IP {ip or '未知'}）")
        raise LoginError(f"登录失败次数过多，已暂时锁定，请 {_minutes(until - now)} 分钟后再试。", until)

    account = verify_password(store, name or "", password or "")
    now = store.now()
    if account is None:
        locked = None
        with store.connect() as conn:
            conn.execute("INSERT INTO login_attempts (name_key, ip, at, success) VALUES (?, ?, ?, 0)", (key, ip, now))
            if _failures(conn, "name_key", key, f"name:{key}", now) >= MAX_FAILURES:
                locked = f"name:{key}"
            elif ip and _failures(conn, "ip", ip, f"ip:{ip}", now) >= MAX_IP_FAILURES:
                locked = f"ip:{ip}"
            if locked:
                conn.execute("INSERT OR REPLACE INTO locks VALUES (?, ?, ?)", (locked, now, now + LOCKOUT))
        audit.record(store, name or None, "login_failed", detail=f"用户名或密码错误（IP {ip or '未知'}）")
        if locked:
            what = "该用户名" if locked.startswith("name:") else f"地址 {ip}"
            audit.record(store, name or None, "lockout",
                         detail=f"连续登录失败，{what}锁定 {_minutes(LOCKOUT)} 分钟（IP {ip or '未知'}）")
            raise LoginError(f"登录失败次数过多，已暂时锁定，请 {_minutes(LOCKOUT)} 分钟后再试。", now + LOCKOUT)
        raise LoginError("用户名或密码错误。")

    token = secrets.token_urlsafe(32)
    with store.connect() as conn:
        conn.execute("INSERT INTO login_attempts (name_key, ip, at, success) VALUES (?, ?, ?, 1)", (key, ip, now))
        conn.execute("DELETE FROM sessions WHERE expires_at <= ? OR last_seen <= ?", (now, now - IDLE_TIMEOUT))
        # Attempts matter for FAILURE_WINDOW only (the audit log keeps every login for good).
        conn.execute("DELETE FROM login_attempts WHERE at < ?", (now - max(FAILURE_WINDOW, LOCKOUT) - 86400,))
        conn.execute("DELETE FROM locks WHERE until < ?", (now - 86400,))
        conn.execute("INSERT INTO sessions VALUES (?, ?, ?, ?, ?, ?)",
                     (_hash(token), account.id, now, now, now + MAX_AGE, ip))
    audit.record(store, account.as_user(), "login", detail=f"IP {ip or '未知'}")
    return account, token


def session(store: AccessStore, token: str | None) -> Session | None:
    """The live session of a cookie's token, or None (unknown, expired, idle too long)."""
    if not token or len(token) > 200 or not store.exists:
        return None
    digest = _hash(token)
    now = store.now()
    with store.connect(write=False) as conn:
        row = conn.execute("SELECT * FROM sessions WHERE token_hash = ?", (digest,)).fetchone()
    if row is None:
        return None
    if row["expires_at"] <= now or row["last_seen"] <= now - IDLE_TIMEOUT:
        with store.connect() as conn:
            conn.execute("DELETE FROM sessions WHERE token_hash = ?", (digest,))
        return None
    if now - row["last_seen"] >= _TOUCH_EVERY:
        with store.connect() as conn:
            conn.execute("UPDATE sessions SET last_seen = ? WHERE token_hash = ?", (now, digest))
    user_id, expires = row["user_id"], row["expires_at"]
    account = account_by_id(store, user_id)
    if account is None:
        return None
    return Session(user=account.as_user(), token_hash=digest, expires_at=expires)


def logout(store: AccessStore, token: str | None) -> None:
    if not token or not store.exists:
        return
    found = session(store, token)
    with store.connect() as conn:
        conn.execute("DELETE FROM sessions WHERE token_hash = ?", (_hash(token),))
    if found:
        audit.record(store, found.user, "logout")


def csrf_token(store: AccessStore, binding: str) -> str:
    """The CSRF token for a session (its token or token hash) or a pre-session cookie."""
    return hmac.new(store.secret(), b"csrf:" + _hash(binding).encode(), hashlib.sha256).hexdigest()


def csrf_ok(store: AccessStore, binding: str | None, submitted: str | None) -> bool:
    if not binding or not submitted:
        return False
    return hmac.compare_digest(csrf_token(store, binding), submitted)
