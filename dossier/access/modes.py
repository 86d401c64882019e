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


_PROXY_HEADERS = ("forwarded", "x-forwarded-for", "x-forwarded-host", "x-real-ip")


def local_request_ok(host_header: str | None, header_names: list[str] | set[str]) -> bool:
    """In local mode, is this request really from this computer's browser?

    Local mode trusts whoever connects, so it answers only requests addressed to a loopback
    name (``Host: 127.0.0.1:8765`` / ``localhost`` / ``[::1]``: a web page cannot reach it
    through a DNS name that resolves to 127.0.0.1) and never one passed on by a reverse proxy
    (which would serve the single-user tool to the proxy's whole audience).
    """
    names = {n.lower() for n in header_names}
    if any(h in names for h in _PROXY_HEADERS):
        return False
    host = (host_header or "").strip()
    if host.startswith("["):
        host = host[1:].split("]", 1)[0]
    elif host.count(":") == 1:
        host = host.split(":", 1)[0]
    return is_loopback(host)
