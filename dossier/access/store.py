"""The workspace's access database: one SQLite file, ``WORKSPACE/.dossier/access.sqlite3``.

It holds accounts, dossier assignments, sessions, login attempts and the audit log — and
nothing of a dossier's content, which stays in the dossier folders. Each operation opens
its own short connection (the web server runs requests on several threads); the file uses
SQLite's default rollback journal, which, unlike WAL, does not need shared memory and so
also works when the workspace sits on a shared disk (one server per workspace).
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from ..errors import BadInputError, SystemComponentError

DB_DIR = ".dossier"
DB_NAME = "access.sqlite3"
SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    name_key      TEXT NOT NULL UNIQUE,          -- NFKC + casefold: one account per name
    role          TEXT NOT NULL CHECK (role IN ('admin', 'consultant', 'client', 'evaluator')),
    scope         TEXT NOT NULL CHECK (scope IN ('all', 'assigned')),
    password_hash TEXT NOT NULL,                 -- argon2id, never the password
    created_at    REAL NOT NULL,
    password_set_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS assignments (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    dossier TEXT NOT NULL,                       -- folder name inside the workspace
    PRIMARY KEY (user_id, dossier)
);
CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY,                 -- sha256 of the cookie's random token
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at REAL NOT NULL,
    last_seen  REAL NOT NULL,
    expires_at REAL NOT NULL,
    ip         TEXT
);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions(user_id);
CREATE TABLE IF NOT EXISTS login_attempts (
    id       INTEGER PRIMARY KEY,
    name_key TEXT NOT NULL,
    ip       TEXT,
    at       REAL NOT NULL,
    success  INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS login_attempts_name ON login_attempts(name_key, at);
CREATE INDEX IF NOT EXISTS login_attempts_ip ON login_attempts(ip, at);
CREATE TABLE IF NOT EXISTS locks (
    key   TEXT PRIMARY KEY,                      -- 'name:<name_key>' or 'ip:<address>'
    since REAL NOT NULL,
    until REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS audit (
    id      INTEGER PRIMARY KEY,
    at      REAL NOT NULL,
    user    TEXT NOT NULL,
    role    TEXT,
    dossier TEXT,                                -- NULL: workspace-wide (accounts, logins)
    action  TEXT NOT NULL,
    target  TEXT,                                -- field path, file path, package …
    old     TEXT,                                -- JSON
    new     TEXT,                                -- JSON
    detail  TEXT
);
CREATE INDEX IF NOT EXISTS audit_dossier ON audit(dossier, at);
"""


class AccessStore:
    """The access database of one workspace.

    ``clock`` returns the current time as a UNIX timestamp (tests pass their own).
    """

    def __init__(self, workspace: Path | str, *, clock: Callable[[], float] = time.time) -> None:
        self.workspace = Path(workspace)
        self.path = self.workspace / DB_DIR / DB_NAME
        self.clock = clock
        self._ready = False
        self._secret: bytes | None = None

    @property
    def exists(self) -> bool:
        return self.path.is_file()

    def now(self) -> float:
        return self.clock()

    @contextmanager
    def connect(self, write: bool = True) -> Iterator[sqlite3.Connection]:
        """A connection in one transaction: committed on success, rolled back on error.
        ``write=False``: a reading transaction, which does not wait for (or block) writers."""
        if not self._ready:
            self._create()
        try:
            conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        except sqlite3.Error as exc:  # pragma: no cover - disk errors
            raise SystemComponentError(f"无法打开账户数据库 {self.path}：{exc}") from exc
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        try:
            conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        finally:
            conn.close()

    def _create(self) -> None:
        if not self.workspace.is_dir():
            raise BadInputError(f"工作区文件夹不存在：{self.workspace}")
        folder = self.path.parent
        folder.mkdir(mode=0o700, exist_ok=True)
        new = not self.path.exists()
        if new:
            # Create the file private to its owner before SQLite writes anything into it.
            fd = os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600)
            os.close(fd)
        try:
            conn = sqlite3.connect(self.path, timeout=10)
            try:
                conn.executescript(SCHEMA)
                row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
                if row is None:
                    conn.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
                    conn.execute("INSERT INTO meta VALUES ('secret', ?)", (secrets.token_hex(32),))
                elif int(row[0]) > SCHEMA_VERSION:
                    raise BadInputError(
                        f"账户数据库 {self.path} 由更新版本的 dossier 创建（结构版本 {row[0]}），"
                        f"本版本只支持到 {SCHEMA_VERSION}：请升级 dossier。")
                conn.commit()
            finally:
                conn.close()
        except sqlite3.DatabaseError as exc:
            raise BadInputError(f"账户数据库 {self.path} 已损坏或不是 SQLite 文件：{exc}") from exc
        self._ready = True

    def secret(self) -> bytes:
        """The workspace's random server secret (CSRF tokens are derived from it)."""
        if self._secret is None:
            with self.connect() as conn:
                self._secret = bytes.fromhex(conn.execute("SELECT value FROM meta WHERE key = 'secret'").fetchone()[0])
        return self._secret
