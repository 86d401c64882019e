"""Which mode `dossier serve` runs in, decided once at start-up.

- ``local``: bound to a loopback address (127.0.0.1, ::1, localhost) and no account in the
  workspace — the single-user tool on one's own computer; every request acts as
  :data:`~dossier.access.roles.LOCAL_USER` (CSRF tokens and security headers still apply).
- ``accounts``: as soon as one account exists, every request needs a login.
- Bound to any other address (a LAN address, 0.0.0.0, ::) the server refuses to start
  until an admin account exists: commercial data is never served to others unguarded.
"""

from __future__ import annotations

import ipaddress
from enum import Enum

from ..errors import BadInputError
from .roles import Role
from .store import AccessStore
from .users import count_accounts


class Mode(str, Enum):
    LOCAL = "local"
    ACCOUNTS = "accounts"


class NoAdminError(BadInputError):
    """Serving beyond this computer without an admin account (exit 2)."""


def is_loopback(host: str) -> bool:
    host = (host or "").strip().strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name other than localhost: may resolve to anything


def serve_mode(store: AccessStore, host: str) -> Mode:
    """The mode for serving ``store``'s workspace on ``host``; raises :class:`NoAdminError`."""
    if is_loopback(host):
        return Mode.ACCOUNTS if count_accounts(store) else Mode.LOCAL
    if not count_accounts(store, Role.ADMIN):
        raise NoAdminError(
            f"dossier serve 绑定到 {host}，本机以外的人也能访问：必须先创建管理员账户，例如\n"
            f"  dossier users add 管理员姓名 --role admin --workspace {store.workspace}\n"
            f"（只在本机使用时请用 --host 127.0.0.1。）")
    return Mode.ACCOUNTS
