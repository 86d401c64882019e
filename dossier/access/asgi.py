"""ASGI middleware putting the access rules in front of the web workspace.

For every HTTP request, before any route runs:

1. **Who**: in local mode the request must come from this computer's browser
   (:func:`~dossier.access.modes.local_request_ok`, else 403) and acts as ``LOCAL_USER``;
   in accounts mode the session cookie names the user (or nobody). The user is put in
   ``scope["state"]["user"]`` (``request.state.user``); a request without a user for a page
   that is not public is redirected to the login page (302) — API-style requests
   (``Accept`` without HTML, or ``HX-Request``) get 401.
2. **CSRF**: every request with a method other than GET/HEAD/OPTIONS must carry the token
   of its session — in the ``X-CSRF-Token`` header (scripts), or as the form field
   ``csrf_token`` (an urlencoded form, or the FIRST field of a multipart form: the upload
   itself is streamed on, never buffered). Missing or wrong: 403, the route never runs.
   Requests from another origin (``Origin`` header naming another host) are refused too.
   The token for pages is ``scope["state"]["csrf"]``.
3. **Headers**: every response gets :func:`~dossier.access.http.security_headers`.

Authorisation itself — may this user do this route's action on this dossier — is the
route table's job, through :func:`~dossier.access.roles.allowed`; this layer only knows
who is asking.
"""

from __future__ import annotations

import secrets
from typing import Any, Awaitable, Callable
from urllib.parse import parse_qs, quote, urlsplit

from anyio import to_thread

from . import http, sessions
from .modes import Mode, local_request_ok
from .roles import LOCAL_USER
from .store import AccessStore

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict]]
Send = Callable[[dict], Awaitable[None]]

MAX_FORM_BYTES = 4 * 1024 * 1024      # an urlencoded form (the largest: a scheme's self-assessment)
MAX_FIRST_PART_BYTES = 64 * 1024      # what is read of a multipart body to find its csrf_token
LOCAL_BINDING = "local-mode"


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


def _cookies(header: str) -> dict[str, str]:
    jar: dict[str, str] = {}
    for part in header.split(";"):
        if "=" in part:
            key, _, value = part.strip().partition("=")
            jar.setdefault(key, value)
    return jar


async def _plain(send: Send, status: int, text: str, extra: list[tuple[bytes, bytes]] = ()) -> None:
    body = text.encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()), *extra]})
    await send({"type": "http.response.body", "body": body})


class AccessMiddleware:
    """See the module docstring. ``public`` are path prefixes open without a login."""

    def __init__(self, app: Callable, store: AccessStore, mode: Mode, *, login_path: str = "/login",
                 public: tuple[str, ...] = ("/login", "/logout", "/static/", "/favicon.ico")) -> None:
        self.app, self.store, self.mode = app, store, mode
        self.login_path, self.public = login_path, public

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = scope.get("scheme") == "https"
        extra = [(k.lower().encode(), v.encode()) for k, v in http.security_headers(https).items()]
        headers = _headers(scope)

        async def send_secured(message: dict) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                message = dict(message)
                message["headers"] = list(message.get("headers", [])) + [h for h in extra if h[0] not in present]
            await send(message)

        if self.mode is Mode.LOCAL:
            if not local_request_ok(headers.get("host"), set(headers)):
                await _plain(send_secured, 403,
                             "本机单用户模式只接受本机浏览器的访问（地址 127.0.0.1 或 localhost）。"
                             "要让其他人访问，请先创建管理员账户：dossier users add 姓名 --role admin")
                return
            user, binding, set_cookie = LOCAL_USER, LOCAL_BINDING, None
        else:
            jar = _cookies(headers.get("cookie", ""))
            token = jar.get(http.SESSION_COOKIE)
            found = await to_thread.run_sync(sessions.session, self.store, token) if token else None
            set_cookie = None
            if found:
                user, binding = found.user, token
            else:
                user = None
                binding = jar.get(http.PRESESSION_COOKIE)
                if not binding or len(binding) > 100:
                    binding = secrets.token_urlsafe(24)
                    options = http.cookie_options(https, max_age=None)
                    set_cookie = _set_cookie_header(http.PRESESSION_COOKIE, binding, options)

        csrf = await to_thread.run_sync(sessions.csrf_token, self.store, binding)
        state = scope.setdefault("state", {})
        state.update(user=user, csrf=csrf, session_token=binding if user and self.mode is Mode.ACCOUNTS else None,
                     mode=self.mode, https=https)

        outgoing = send_secured
        if set_cookie:
            async def outgoing(message: dict) -> None:
                if message["type"] == "http.response.start":
                    message = dict(message)
                    message["headers"] = list(message.get("headers", [])) + [(b"set-cookie", set_cookie)]
                await send_secured(message)

        path = scope.get("path", "/")
        if user is None and not any(path == p or (p.endswith("/") and path.startswith(p)) for p in self.public):
            accept = headers.get("accept", "")
            if scope["method"] in http.SAFE_METHODS and "text/html" in accept and "hx-request" not in headers:
                query = scope.get("query_string", b"").decode("latin-1")
                target = path + (f"?{query}" if query else "")
                await outgoing({"type": "http.response.start", "status": 302,
                                "headers": [(b"location", f"{self.login_path}?next={quote(target)}".encode()),
                                            (b"content-length", b"0")]})
                await outgoing({"type": "http.response.body", "body": b""})
                return
            await _plain(outgoing, 401, "请先登录。")
            return

        if scope["method"] not in http.SAFE_METHODS:
            if not _same_origin(headers):
                await _plain(outgoing, 403, "拒绝来自其他网站的请求。")
                return
            ok, receive = await self._csrf_ok(scope, receive, headers, binding)
            if not ok:
                await _plain(outgoing, 403, "请求缺少有效的安全令牌（CSRF），请刷新页面后重试。")
                return
        await self.app(scope, receive, outgoing)

    async def _csrf_ok(self, scope: Scope, receive: Receive, headers: dict[str, str],
                       binding: str) -> tuple[bool, Receive]:
        """Find the token (header, urlencoded form, first multipart field) and check it;
        returns a ``receive`` that replays what was read."""
        submitted = headers.get(http.CSRF_HEADER.lower())
        replay: list[dict] = []
        if not submitted:
            ctype = headers.get("content-type", "")
            if ctype.startswith("application/x-www-form-urlencoded"):
                body, replay, complete = await _read(receive, MAX_FORM_BYTES, lambda b: False)
                if not complete:
                    return False, receive
                submitted = (parse_qs(body.decode("latin-1")).get(http.CSRF_FIELD) or [None])[0]
            elif ctype.startswith("multipart/form-data"):
                boundary = _boundary(ctype)
                if not boundary:
                    return False, receive
                body, replay, _ = await _read(receive, MAX_FIRST_PART_BYTES,
                                              lambda b: _first_part(b, boundary) is not None)
                submitted = _first_part(body, boundary)
        ok = bool(submitted) and await to_thread.run_sync(sessions.csrf_ok, self.store, binding, submitted)
        return ok, _replaying(replay, receive)


def _set_cookie_header(name: str, value: str, options: dict) -> bytes:
    parts = [f"{name}={value}", f"Path={options['path']}", f"SameSite={options['samesite'].capitalize()}"]
    if options.get("httponly"):
        parts.append("HttpOnly")
    if options.get("secure"):
        parts.append("Secure")
    if options.get("max_age"):
        parts.append(f"Max-Age={options['max_age']}")
    return "; ".join(parts).encode()


def _same_origin(headers: dict[str, str]) -> bool:
    origin = headers.get("origin")
    if not origin:
        return True   # older browsers and non-browser clients: the CSRF token still decides
    if origin == "null":
        return False
    # Host names only: a proxy may drop the port from Host ($host in nginx).
    return (urlsplit(origin).hostname or "") == (urlsplit("//" + headers.get("host", "")).hostname or "")


async def _read(receive: Receive, limit: int, enough: Callable[[bytes], bool]) -> tuple[bytes, list[dict], bool]:
    """Read body messages until ``enough(body)``, the end, or ``limit`` bytes.
    Returns the bytes read, the messages (to replay) and whether the body ended."""
    body = b""
    messages: list[dict] = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return body, messages, True
        body += message.get("body", b"")
        if not message.get("more_body", False):
            return body, messages, True
        if len(body) > limit or enough(body):
            return body, messages, False


def _replaying(messages: list[dict], receive: Receive) -> Receive:
    pending = list(messages)

    async def replay() -> dict:
        if pending:
            return pending.pop(0)
        return await receive()

    return replay


def _boundary(ctype: str) -> bytes | None:
    for part in ctype.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "boundary" and value:
            return value.strip('"').encode("latin-1")
    return None


def _first_part(body: bytes, boundary: bytes) -> str | None:
    """The value of the first part of a multipart body if it is the ``csrf_token`` field
    and complete; ``""`` if the first part is something else; None if not read far enough."""
    start = body.find(b"--" + boundary)
    if start < 0:
        return None
    head_end = body.find(b"\r\n\r\n", start)
    if head_end < 0:
        return None
    head = body[start:head_end].lower()
    if f'name="{http.CSRF_FIELD}"'.encode() not in head:
        return ""
    end = body.find(b"\r\n--" + boundary, head_end + 4)
    if end < 0:
        return None
    return body[head_end + 4:end].decode("latin-1").strip()
