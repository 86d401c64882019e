"""The access middleware (dossier/access/asgi.py) in front of a small Starlette app:
who is asking, CSRF tokens (header, urlencoded form, first multipart field), local-mode
origin checks, security headers. Real SQLite store, real argon2 (cheap parameters)."""

from __future__ import annotations

import re

import pytest
from argon2 import PasswordHasher
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from dossier.access import sessions, users
from dossier.access.asgi import AccessMiddleware
from dossier.access.modes import Mode
from dossier.access.store import AccessStore

PASSWORD = "correct horse 42"


@pytest.fixture(autouse=True)
def quick_argon2(monkeypatch):
    monkeypatch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


async def page(request: Request):
    user = request.state.user
    return HTMLResponse(f"<p>{user.name if user else '-'}</p><input name=csrf_token value={request.state.csrf}>")


async def echo(request: Request):
    form = await request.form()
    out = {}
    for key, value in form.multi_items():
        out[key] = (value.filename, len(await value.read())) if hasattr(value, "filename") else value
    return JSONResponse({"user": request.state.user.name, "form": out})


async def login(request: Request):
    if request.method == "GET":
        return HTMLResponse(f"<input name=csrf_token value={request.state.csrf}>")
    form = await request.form()
    _, token = sessions.login(request.app.state.store, form["name"], form["password"])
    response = HTMLResponse("ok")
    response.set_cookie("dossier_session", token, httponly=True, samesite="lax")
    return response


def make_app(store: AccessStore, mode: Mode):
    app = Starlette(routes=[Route("/", page), Route("/echo", echo, methods=["POST"]),
                            Route("/login", login, methods=["GET", "POST"])])
    app.state.store = store
    app.add_middleware(AccessMiddleware, store=store, mode=mode)
    return app


def csrf_of(response) -> str:
    return re.search(r"name=csrf_token value=(\w+)", response.text).group(1)


@pytest.fixture
def store(tmp_path):
    ws = tmp_path / "ws"
    ws.mkdir()
    return AccessStore(ws)


@pytest.fixture
def local(store):
    return TestClient(make_app(store, Mode.LOCAL), base_url="http://127.0.0.1:8765")


@pytest.fixture
def accounts(store):
    users.add_user(store, "bob", "consultant", PASSWORD)
    return TestClient(make_app(store, Mode.ACCOUNTS), base_url="http://127.0.0.1:8765")


def logged_in(client: TestClient) -> str:
    token = csrf_of(client.get("/login"))
    assert client.post("/login", data={"csrf_token": token, "name": "bob", "password": PASSWORD}).status_code == 200
    return csrf_of(client.get("/"))


def test_every_response_carries_the_security_headers(local):
    for response in (local.get("/"), local.post("/echo", data={}), local.get("/missing")):
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert response.headers["x-frame-options"] == "SAMEORIGIN"
        assert response.headers["x-content-type-options"] == "nosniff"


def test_local_mode_is_the_local_user_from_this_computer_only(local):
    assert "<p>本机用户</p>" in local.get("/").text
    assert local.get("/", headers={"Host": "attacker.example"}).status_code == 403
    assert local.get("/", headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 403
    token = csrf_of(local.get("/"))
    assert local.post("/echo", data={"csrf_token": token, "a": "1"}).json()["form"]["a"] == "1"
    assert local.post("/echo", data={"a": "1"}).status_code == 403


def test_anonymous_requests_go_to_the_login_page(accounts):
    response = accounts.get("/?tab=1", headers={"Accept": "text/html"}, follow_redirects=False)
    assert response.status_code == 302
    assert response.headers["location"] == "/login?next=/%3Ftab%3D1"
    assert accounts.get("/", headers={"Accept": "application/json"}).status_code == 401
    assert accounts.post("/echo", data={"a": "1"}).status_code == 401


def test_login_form_needs_its_csrf_token(accounts):
    accounts.get("/login")
    response = accounts.post("/login", data={"name": "bob", "password": PASSWORD})
    assert response.status_code == 403 and "CSRF" in response.text
    assert "dossier_session" not in accounts.cookies


@pytest.mark.parametrize("how", ["form", "header", "multipart"])
def test_state_changing_requests_with_the_token_pass(accounts, how):
    token = logged_in(accounts)
    if how == "form":
        response = accounts.post("/echo", data={"csrf_token": token, "field": "值"})
        assert response.json()["form"] == {"csrf_token": token, "field": "值"}
    elif how == "header":
        response = accounts.post("/echo", data={"field": "x"}, headers={"X-CSRF-Token": token})
        assert response.json()["form"] == {"field": "x"}
    else:
        blob = bytes(range(256)) * 4096  # 1 MiB, streamed on untouched
        response = accounts.post("/echo", data={"csrf_token": token}, files={"file": ("许可证.pdf", blob)})
        assert response.json()["form"]["file"] == ["许可证.pdf", len(blob)]
    assert response.status_code == 200 and response.json()["user"] == "bob"


def test_missing_or_wrong_csrf_token_is_refused(accounts, store):
    token = logged_in(accounts)
    wrong = sessions.csrf_token(store, "another-session")
    cases = [
        dict(data={"field": "x"}),
        dict(data={"csrf_token": wrong, "field": "x"}),
        dict(data={"csrf_token": "", "field": "x"}),
        dict(data={"field": "x"}, headers={"X-CSRF-Token": wrong}),
        dict(files={"file": ("a.pdf", b"%PDF-1.4")}, data={}),                      # no token at all
        dict(files={"file": ("a.pdf", b"%PDF-1.4")}, data={"csrf_token": wrong}),
        dict(content=b"{}", headers={"Content-Type": "application/json"}),
    ]
    for case in cases:
        response = accounts.post("/echo", **case)
        assert response.status_code == 403, case
    # The token must come before the file in a multipart form (it is read without the file).
    body = (b"--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n%PDF\r\n"
            b"--B\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n" + token.encode() + b"\r\n--B--\r\n")
    response = accounts.post("/echo", content=body, headers={"Content-Type": "multipart/form-data; boundary=B"})
    assert response.status_code == 403
    assert accounts.post("/echo", data={"csrf_token": token}).status_code == 200


def test_requests_from_another_origin_are_refused(accounts):
    token = logged_in(accounts)
    response = accounts.post("/echo", data={"csrf_token": token}, headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    response = accounts.post("/echo", data={"csrf_token": token}, headers={"Origin": "http://127.0.0.1:8765"})
    assert response.status_code == 200


def test_logged_out_session_is_anonymous(accounts, store):
    logged_in(accounts)
    sessions.logout(store, accounts.cookies["dossier_session"])
    assert accounts.get("/", headers={"Accept": "text/html"}, follow_redirects=False).status_code == 302
