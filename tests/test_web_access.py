"""Accounts and access in the web workspace, in-process (Starlette TestClient) and against
the real server (uvicorn on a free port, raw HTTP for traversal paths a client library
would normalise away).

The matrix test is generated FROM THE ROUTE TABLE (dossier.web.routes.ROUTES): every
route × every role × own / other dossier. Its expectations come from the hand-written
specification below, not from dossier.access.
"""

from __future__ import annotations

import dataclasses
import http.client
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from starlette.responses import PlainTextResponse
from starlette.testclient import TestClient

from dossier.access import audit, sessions, users
from dossier.access.store import AccessStore
from dossier.scaffold import init_dossier
from dossier.web import routes as web_routes
from dossier.web.app import create_app

from .conftest import EXAMPLES
from .webreal import free_port, serving

PASSWORDS = {"boss": "admin pass 123", "guwen": "consultant pass 1", "guwen2": "consultant pass 2",
             "kehu": "client pass 123", "pingjia": "evaluator pass 1"}
ROLE_OF = {"boss": "admin", "guwen": "consultant", "guwen2": "consultant", "kehu": "client", "pingjia": "evaluator"}
OWN, OTHER = "acme", "beta"

# --- the specification: what each role may do in a dossier it reaches -------------------
MAY = {
    "admin": {"view", "edit_data", "edit_self_assessment", "edit_findings", "upload", "delete_evidence",
              "render", "build", "download", "rollover", "list", "create", "admin"},
    "consultant": {"view", "edit_data", "edit_self_assessment", "edit_findings", "upload", "delete_evidence",
                   "render", "build", "download", "rollover", "list", "create"},
    "client": {"view", "edit_data", "edit_self_assessment", "upload", "list"},
    "evaluator": {"view", "edit_findings", "render", "download", "list"},
}
# which dossiers each account reaches: guwen all, guwen2 only acme, kehu and pingjia acme
REACHES = {"boss": {OWN, OTHER}, "guwen": {OWN, OTHER}, "guwen2": {OWN}, "kehu": {OWN}, "pingjia": {OWN}}


def expected(account: str | None, route, dossier: str | None) -> int:
    if route.action == "public":
        return 200
    if account is None:
        return 302 if route.methods == ("GET",) else 401
    if dossier is not None and dossier not in REACHES[account]:
        return 404
    return 200 if route.action in MAY[ROLE_OF[account]] else 403


@pytest.fixture(scope="module")
def quick_argon2():
    mp = pytest.MonkeyPatch()
    mp.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    yield
    mp.undo()


def _accounts(store: AccessStore) -> None:
    users.add_user(store, "boss", "admin", PASSWORDS["boss"])
    users.add_user(store, "guwen", "consultant", PASSWORDS["guwen"])
    users.add_user(store, "guwen2", "consultant", PASSWORDS["guwen2"], [OWN])
    users.add_user(store, "kehu", "client", PASSWORDS["kehu"], [OWN])
    users.add_user(store, "pingjia", "evaluator", PASSWORDS["pingjia"], [OWN])


# --- the matrix (handlers replaced by a stub: this is the access layer alone) ------------

@pytest.fixture(scope="module")
def stub_app(tmp_path_factory, quick_argon2):
    ws = tmp_path_factory.mktemp("matrix")
    for name in (OWN, OTHER):
        init_dossier(ws / name, "suzhou-green-factory", name=name, reporting_year=2026)
    store = AccessStore(ws)
    _accounts(store)

    async def handled(request):
        return PlainTextResponse("handled")

    stubbed = [dataclasses.replace(r, handler=handled) for r in web_routes.ROUTES]
    mp = pytest.MonkeyPatch()
    mp.setattr(web_routes, "ROUTES", stubbed)
    app = create_app(ws, host="127.0.0.1")
    mp.undo()
    return app, store, {}


def _client(app, store, account: str | None, cache: dict | None = None) -> tuple[TestClient, str]:
    if cache is not None:
        if account not in cache:
            cache[account] = _client(app, store, account)
        return cache[account]
    client = TestClient(app, base_url="http://127.0.0.1:8765")
    if account is None:
        client.get("/login")
        return client, sessions.csrf_token(store, client.cookies["dossier_pre"])
    _, token = sessions.login(store, account, PASSWORDS[account])
    client.cookies.set("dossier_session", token)
    return client, sessions.csrf_token(store, token)


def _url(route, dossier: str | None) -> str:
    url = route.path.replace("{name}", dossier or "")
    url = url.replace("{tab}", "basic").replace("{no:int}", "1").replace("{path:path}", "dossier.yaml")
    assert "{" not in url, f"the matrix test does not know how to fill {route.path}"
    return url


MATRIX = [(account, i, dossier)
          for account in [None, *ROLE_OF]
          for i, route in enumerate(web_routes.ROUTES)
          for dossier in ([OWN, OTHER] if route.dossier else [None])]


@pytest.mark.parametrize("account, index, dossier", MATRIX,
                         ids=[f"{a or 'anonymous'}-{r.methods[0]} {r.path}-{d or 'ws'}"
                              for a, i, d in MATRIX for r in [web_routes.ROUTES[i]]])
def test_route_matrix(stub_app, account, index, dossier):
    app, store, cache = stub_app
    route = web_routes.ROUTES[index]
    client, csrf = _client(app, store, account, cache)
    method = route.methods[0]
    url = _url(route, dossier)
    if method == "GET":
        response = client.get(url, headers={"Accept": "text/html"}, follow_redirects=False)
    else:
        response = client.request(method, url, data={"csrf_token": csrf}, headers={"Accept": "text/html"},
                                  follow_redirects=False)
    assert response.status_code == expected(account, route, dossier), response.text[:300]
    if response.status_code == 200:
        assert response.text == "handled"
    if response.status_code == 302:
        assert response.headers["location"].startswith("/login?next=")


def test_the_matrix_covers_every_route():
    covered = {web_routes.ROUTES[i] for _, i, _ in MATRIX}
    assert covered == set(web_routes.ROUTES)
    assert all(r.action in MAY["admin"] | {"public"} for r in web_routes.ROUTES)
    # A state-changing route never hides behind "view".
    assert not [r.path for r in web_routes.ROUTES if r.methods != ("GET",) and r.action == "view"]


@pytest.mark.parametrize("index", [i for i, r in enumerate(web_routes.ROUTES) if r.methods != ("GET",)],
                         ids=[f"{r.methods[0]} {r.path}" for r in web_routes.ROUTES if r.methods != ("GET",)])
def test_missing_or_wrong_csrf_token_is_403_on_every_state_changing_route(stub_app, index):
    app, store, cache = stub_app
    route = web_routes.ROUTES[index]
    client, csrf = _client(app, store, "boss", cache)
    url = _url(route, OWN if route.dossier else None)
    other = sessions.csrf_token(store, "someone-else")
    for data in ({}, {"csrf_token": other}, {"csrf_token": csrf[:-2]}):
        assert client.post(url, data=data, follow_redirects=False).status_code == 403
    assert client.post(url, data={"csrf_token": csrf}, follow_redirects=False).status_code == 200


# --- the real handlers --------------------------------------------------------------------

SCHEME = "zhejiang-green-low-carbon-factory"


@pytest.fixture
def site(tmp_path, quick_argon2):
    ws = tmp_path / "ws"
    ws.mkdir()
    shutil.copytree(EXAMPLES / SCHEME, ws / OWN)
    shutil.copytree(EXAMPLES / SCHEME, ws / OTHER)
    store = AccessStore(ws)
    _accounts(store)
    app = create_app(ws, host="127.0.0.1")
    return ws, app, store


def login_as(app, account: str) -> tuple[TestClient, str]:
    client = TestClient(app, base_url="http://127.0.0.1:8765")
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="(\w+)"', page.text).group(1)
    response = client.post("/login", data={"csrf_token": token, "name": account, "password": PASSWORDS[account],
                                           "next": "/"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"
    return client, csrf_from(client.get("/"))


def csrf_from(page) -> str:
    return re.search(r'<meta name="csrf-token" content="(\w+)">', page.text).group(1)


def test_login_page_cookie_and_wrong_password(site):
    ws, app, store = site
    client = TestClient(app, base_url="http://127.0.0.1:8765")
    page = client.get("/login")
    assert "登录" in page.text and page.headers["content-security-policy"]
    token = re.search(r'name="csrf_token" value="(\w+)"', page.text).group(1)
    bad = client.post("/login", data={"csrf_token": token, "name": "kehu", "password": "nope nope"})
    assert bad.status_code == 401 and "用户名或密码错误" in bad.text
    good = client.post("/login", data={"csrf_token": token, "name": "kehu", "password": PASSWORDS["kehu"],
                                       "next": "https://evil.example/"}, follow_redirects=False)
    assert good.headers["location"] == "/"                    # no open redirect
    cookie = good.headers["set-cookie"]
    assert "dossier_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie                             # plain http on 127.0.0.1
    dash = client.get("/")
    assert "kehu（申报企业）" in dash.text
    logout = client.post("/logout", data={"csrf_token": csrf_from(dash)}, follow_redirects=False)
    assert logout.status_code == 303
    assert client.get("/", headers={"Accept": "text/html"}, follow_redirects=False).status_code == 302


def test_lockout_through_the_login_page(site):
    ws, app, store = site
    client = TestClient(app, base_url="http://127.0.0.1:8765")
    token = re.search(r'name="csrf_token" value="(\w+)"', client.get("/login").text).group(1)
    codes = [client.post("/login", data={"csrf_token": token, "name": "kehu", "password": f"wrong {i}"}).status_code
             for i in range(sessions.MAX_FAILURES)]
    assert codes == [401] * (sessions.MAX_FAILURES - 1) + [429]
    locked = client.post("/login", data={"csrf_token": token, "name": "kehu", "password": PASSWORDS["kehu"]})
    assert locked.status_code == 429 and "已暂时锁定" in locked.text
    assert [e.event for e in audit.entries(store, workspace=True)].count("lockout") == 1


def test_client_sees_only_its_dossier_and_cannot_delete_or_touch_findings(site):
    ws, app, store = site
    client, csrf = login_as(app, "kehu")
    dash = client.get("/")
    assert re.findall(r'<tr class="st-\w+" data-name="(\w+)"', dash.text) == [OWN]
    assert client.get(f"/d/{OTHER}/data/basic").status_code == 404
    assert client.get(f"/d/{OTHER}/file/dossier.yaml").status_code == 404
    assert client.get("/new").status_code == 403
    evidence = client.get(f"/d/{OWN}/evidence")
    assert "移除</button>" not in evidence.text                 # not offered …
    some_file = re.search(r'href="/d/acme/file/(evidence/[^"]+)"', evidence.text).group(1)
    removed = client.post(f"/d/{OWN}/evidence/remove", data={"csrf_token": csrf, "path": some_file})
    assert removed.status_code == 403                          # … and refused
    assert (ws / OWN / some_file).is_file()
    accepted = client.post(f"/d/{OWN}/extract/accept", data={"csrf_token": csrf, "path": "evaluator.highlights",
                                                             "value": '"很好"', "source": "x"})
    assert accepted.status_code == 403
    assert client.post(f"/d/{OWN}/findings", data={"csrf_token": csrf, "evaluator.highlights": "很好"}).status_code == 403


def test_generated_files_need_download(site):
    ws, app, store = site
    out = ws / OWN / "output"
    out.mkdir()
    (out / "form.pdf").write_bytes((EXAMPLES / SCHEME / "evidence").rglob("*.pdf").__next__().read_bytes())
    client, _ = login_as(app, "kehu")
    assert client.get(f"/d/{OWN}/file/output/form.pdf").status_code == 403
    assert client.get(f"/d/{OWN}/file/evidence").status_code == 404     # a folder is not a file
    evaluator, _ = login_as(app, "pingjia")
    response = evaluator.get(f"/d/{OWN}/file/output/form.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_audit_of_a_field_change_an_upload_and_a_removal(site):
    ws, app, store = site
    client, csrf = login_as(app, "kehu")
    page = client.get(f"/d/{OWN}/data/basic")
    version = re.search(r'name="_version" value="(\w+)"', page.text).group(1)
    field = re.search(r'<input type="text" name="(\[&#34;subject&#34;, &#34;name&#34;\]\|value)" value="([^"]*)"',
                      page.text)
    assert field, "the 基本信息 tab shows the enterprise name as a text input"
    name = field.group(1).replace("&#34;", '"')
    old = field.group(2)
    saved = client.post(f"/d/{OWN}/data/basic", data={"csrf_token": csrf, "_version": version, name: old + "（新）"},
                        follow_redirects=False)
    assert saved.status_code == 303, saved.text[:500]
    pdf = next((EXAMPLES / SCHEME / "evidence").rglob("*.pdf")).read_bytes()
    up = client.post(f"/d/{OWN}/evidence/1/upload", data={"csrf_token": csrf},
                     files={"file": ("新营业执照.pdf", pdf, "application/pdf")}, follow_redirects=False)
    assert up.status_code == 303
    uploaded = [p for p in (ws / OWN / "evidence").rglob("新营业执照.pdf")]
    assert len(uploaded) == 1
    rel = uploaded[0].relative_to(ws / OWN).as_posix()
    consultant, ccsrf = login_as(app, "guwen")
    gone = consultant.post(f"/d/{OWN}/evidence/remove", data={"csrf_token": ccsrf, "path": rel},
                           follow_redirects=False)
    assert gone.status_code == 303
    entries = audit.entries(store, OWN)
    edit = next(e for e in entries if e.event == "edit")
    assert (edit.user, edit.role, edit.target, edit.old, edit.new) == ("kehu", "client", "subject.name", old, old + "（新）")
    upload = next(e for e in entries if e.event == "upload")
    assert (upload.user, upload.target) == ("kehu", rel)
    assert str(len(pdf)) in upload.detail
    removal = next(e for e in entries if e.event == "remove")
    assert removal.user == "guwen" and removal.old == rel
    assert removal.new.startswith(".trash/") and (ws / OWN / removal.new).is_file()
    assert audit.entries(store, OTHER) == []
    # … and the dossier's 修改记录 page shows them to those who see the dossier.
    log = client.get(f"/d/{OWN}/audit")
    assert log.status_code == 200 and "subject.name" in log.text and "新营业执照.pdf" in log.text
    assert client.get(f"/d/{OTHER}/audit").status_code == 404


def test_evaluator_writes_findings_and_cannot_change_a_figure(site):
    ws, app, store = site
    client, csrf = login_as(app, "pingjia")
    page = client.get(f"/d/{OWN}/findings")
    version = re.search(r'name="_version" value="(\w+)"', page.text).group(1)
    saved = client.post(f"/d/{OWN}/findings", data={"csrf_token": csrf, "_version": version,
                                                    "evaluator.highlights": "屋顶光伏规模化利用，能源管理中心运行良好"},
                        follow_redirects=False)
    assert saved.status_code == 303, saved.text[:500]
    assert "屋顶光伏规模化利用" in (ws / OWN / "dossier.yaml").read_text(encoding="utf-8")
    entry = next(e for e in audit.entries(store, OWN) if e.event == "edit")
    assert (entry.user, entry.role, entry.target) == ("pingjia", "evaluator", "evaluator.highlights")
    before = (ws / OWN / "dossier.yaml").read_bytes()
    data = client.get(f"/d/{OWN}/data/years")
    assert data.status_code == 200                              # reads everything …
    version = re.search(r'name="_version" value="(\w+)"', data.text).group(1)
    assert client.post(f"/d/{OWN}/data/years", data={"csrf_token": csrf, "_version": version}).status_code == 403
    sneaky = client.post(f"/d/{OWN}/findings", data={"csrf_token": csrf, "_version": version,
                                                     "years.2025.output_value": "1"})
    assert sneaky.status_code == 403                            # … writes only findings
    assert (ws / OWN / "dossier.yaml").read_bytes() == before


def test_admin_page_manages_accounts(site):
    ws, app, store = site
    client, csrf = login_as(app, "boss")
    page = client.get("/admin/users")
    assert page.status_code == 200 and "pingjia" in page.text and "argon2" not in page.text
    added = client.post("/admin/users", data={"csrf_token": csrf, "name": "新客户", "role": "client",
                                              "password": "new client pass", "dossier": [OTHER]},
                        follow_redirects=False)
    assert added.status_code == 303
    assert users.get_account(store, "新客户").dossiers == (OTHER,)
    refused = client.post("/admin/users", data={"csrf_token": csrf, "name": "x", "role": "client",
                                                "password": "short", "dossier": [OWN]})
    assert refused.status_code == 400 and "至少 10 个字符" in refused.text
    refused = client.post("/admin/users", data={"csrf_token": csrf, "name": "y", "role": "evaluator",
                                                "password": "long enough pass"})
    assert refused.status_code == 400 and "必须指定至少一个档案" in refused.text
    client.post("/admin/users/assign", data={"csrf_token": csrf, "name": "新客户", "dossier": [OWN]})
    assert users.get_account(store, "新客户").dossiers == (OWN,)
    client.post("/admin/users/passwd", data={"csrf_token": csrf, "name": "新客户", "password": "another pass 9"})
    assert users.verify_password(store, "新客户", "another pass 9")
    client.post("/admin/users/remove", data={"csrf_token": csrf, "name": "新客户"})
    assert users.find_account(store, "新客户") is None
    events = [e.event for e in audit.entries(store, workspace=True) if e.user == "boss"]
    assert {"user_add", "user_assign", "user_passwd", "user_remove"} <= set(events)
    assert client.get("/admin/audit").status_code == 200


# --- path traversal against the real server ------------------------------------------------

@pytest.fixture(scope="module")
def server(tmp_path_factory, quick_argon2):
    ws = tmp_path_factory.mktemp("served")
    for name in (OWN, OTHER):
        shutil.copytree(EXAMPLES / SCHEME, ws / name)
    (ws / OWN / "evidence" / "link-out").symlink_to(ws / OTHER)
    (ws / OWN / "evidence" / "passwd").symlink_to("/etc/passwd")
    (ws / "secret.txt").write_text("workspace secret")
    store = AccessStore(ws)
    _accounts(store)
    with serving(ws) as (_url, port):
        yield ws, port, store


def _raw(port: int, method: str, path: str, token: str, body: str = "", ctype: str = "") -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.putrequest(method, path, skip_accept_encoding=True)   # the path exactly as given
    conn.putheader("Cookie", f"dossier_session={token}")
    conn.putheader("Accept", "text/html")
    if body:
        conn.putheader("Content-Type", ctype or "application/x-www-form-urlencoded")
        conn.putheader("Content-Length", str(len(body.encode())))
    conn.endheaders(body.encode() if body else None)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, data


TRAVERSALS = [
    "/d/acme/file/../beta/dossier.yaml",
    "/d/acme/file/../../secret.txt",
    "/d/acme/file/%2e%2e/beta/dossier.yaml",
    "/d/acme/file/%2E%2E/%2E%2E/secret.txt",
    "/d/acme/file/..%2fbeta%2fdossier.yaml",
    "/d/acme/file/evidence/..%2f..%2f..%2fsecret.txt",
    "/d/acme/file//etc/passwd",
    "/d/acme/file/%2fetc%2fpasswd",
    "/d/acme/file/evidence/link-out/dossier.yaml",              # a symlink out of the dossier
    "/d/acme/file/evidence/passwd",                             # a symlink to /etc/passwd
    "/d/..%2fbeta/file/dossier.yaml",
    "/d/%2e%2e/secret.txt",
    "/d/beta/file/dossier.yaml",                                # another client's dossier
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_path_traversal_in_urls_is_404(server, path):
    ws, port, store = server
    _, token = sessions.login(store, "kehu", PASSWORDS["kehu"])
    status, body = _raw(port, "GET", path, token)
    assert status == 404, body[:300]
    assert b"workspace secret" not in body and b"root:" not in body


def test_own_file_is_served_to_its_client(server):
    ws, port, store = server
    _, token = sessions.login(store, "kehu", PASSWORDS["kehu"])
    status, body = _raw(port, "GET", "/d/acme/file/dossier.yaml", token)
    assert status == 200 and b"scheme:" in body


@pytest.mark.parametrize("field", ["../beta/dossier.yaml", "%2e%2e/beta/dossier.yaml", "/etc/passwd",
                                   "evidence/../../beta/dossier.yaml", "evidence/link-out/dossier.yaml",
                                   "evidence/passwd"])
def test_path_traversal_in_forms_is_404(server, field):
    ws, port, store = server
    _, token = sessions.login(store, "guwen", PASSWORDS["guwen"])
    csrf = sessions.csrf_token(store, token)
    from urllib.parse import quote

    status, _ = _raw(port, "POST", "/d/acme/evidence/remove", token, f"csrf_token={csrf}&path={quote(field)}")
    assert status == 404
    status, _ = _raw(port, "GET", f"/d/acme/extract?file={quote(field)}", token)
    assert status == 404
    status, _ = _raw(port, "POST", "/d/acme/workbook/apply", token,
                     f"csrf_token={csrf}&token={quote(field)}&version=x")
    assert status == 404
    assert (ws / OTHER / "dossier.yaml").is_file() and Path("/etc/passwd").is_file()


def test_a_build_is_audited_and_its_package_is_for_those_who_may_download(tmp_path, quick_argon2):
    """A real package build (LibreOffice) started in the browser by a consultant."""
    ws = tmp_path / "ws"
    ws.mkdir()
    shutil.copytree(EXAMPLES / "jiangsu-zero-carbon-factory", ws / OWN)
    store = AccessStore(ws)
    _accounts(store)
    app = create_app(ws, host="127.0.0.1")
    consultant, csrf = login_as(app, "guwen")
    client, _ = login_as(app, "kehu")
    assert client.post(f"/d/{OWN}/package/build", data={"csrf_token": csrf_from(client.get("/"))}).status_code == 403
    started = consultant.post(f"/d/{OWN}/package/build", data={"csrf_token": csrf, "allow_incomplete": "1"},
                              headers={"Accept": "application/json"})
    assert started.status_code == 202
    deadline = time.time() + 600
    while (state := consultant.get(f"/d/{OWN}/package/status").json())["state"] == "running":
        assert time.time() < deadline, state["events"][-3:]
        time.sleep(1)
    assert state["state"] == "done", state["error"]
    entry = next(e for e in audit.entries(store, OWN) if e.event == "build")
    package = state["result"]["packages"][0]
    assert (entry.user, entry.role, entry.target) == ("guwen", "consultant", package)
    assert f"共 {state['result']['pages']} 页" in entry.detail
    evaluator, _ = login_as(app, "pingjia")
    response = evaluator.get(f"/d/{OWN}/file/{package}")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert client.get(f"/d/{OWN}/file/{package}").status_code == 403
    assert "生成材料包" in client.get(f"/d/{OWN}/audit").text


def test_over_https_the_session_cookie_is_secure(site):
    ws, app, store = site
    client = TestClient(app, base_url="https://127.0.0.1:8443")
    token = re.search(r'name="csrf_token" value="(\w+)"', client.get("/login").text).group(1)
    response = client.post("/login", data={"csrf_token": token, "name": "kehu", "password": PASSWORDS["kehu"]},
                           follow_redirects=False)
    assert "Secure" in response.headers["set-cookie"] and "HttpOnly" in response.headers["set-cookie"]
    assert "max-age=31536000" in client.get("/").headers["strict-transport-security"]


def test_serve_refuses_other_addresses_without_an_admin(tmp_path):
    init_dossier(tmp_path / OWN, "suzhou-green-factory", name="甲", reporting_year=2026)
    proc = subprocess.run([sys.executable, "-m", "dossier.cli", "serve", str(tmp_path), "--host", "0.0.0.0",
                           "--port", str(free_port())], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "必须先创建管理员账户" in proc.stderr and "dossier users add" in proc.stderr
    assert not (tmp_path / ".dossier").exists()


def test_local_mode_serves_this_computer_only(tmp_path):
    init_dossier(tmp_path / OWN, "suzhou-green-factory", name="甲", reporting_year=2026)
    app = create_app(tmp_path, host="127.0.0.1")
    local = TestClient(app, base_url="http://127.0.0.1:8765")
    page = local.get("/")
    assert page.status_code == 200 and "甲" in page.text and "账户管理" in page.text
    assert "退出" not in page.text                                 # nobody to log out
    rebinding = TestClient(app, base_url="http://dossier.attacker.example:8765")
    assert rebinding.get("/").status_code == 403
    proxied = local.get("/", headers={"X-Forwarded-For": "203.0.113.5"})
    assert proxied.status_code == 403 and "dossier users add" in proxied.text


def test_a_consultant_with_assigned_dossiers_keeps_the_one_it_creates(stub_free_site):
    ws, app, store = stub_free_site
    client, csrf = login_as(app, "guwen2")
    response = client.post("/new", data={"csrf_token": csrf, "scheme": "suzhou-green-factory", "name": "丙公司",
                                         "year": "2026"}, follow_redirects=False)
    assert response.status_code == 303 and (ws / "丙公司" / "dossier.yaml").is_file()
    assert users.get_account(store, "guwen2").dossiers == ("acme", "丙公司")
    assert client.get("/d/丙公司/data/basic").status_code == 200
    entry = next(e for e in audit.entries(store, "丙公司") if e.event == "create")
    assert entry.user == "guwen2" and "suzhou-green-factory" in entry.detail
    assert "丙公司" not in users.get_account(store, "kehu").dossiers


@pytest.fixture
def stub_free_site(tmp_path, quick_argon2):
    ws = tmp_path / "ws"
    for name in (OWN, OTHER):
        init_dossier(ws / name, "suzhou-green-factory", name=name, reporting_year=2026)
    store = AccessStore(ws)
    _accounts(store)
    return ws, create_app(ws, host="127.0.0.1"), store


def test_findings_per_row_where_the_model_has_them(site):
    """With the evaluator's findings per scheme row in the model (issue 16), the 第三方评价
    tab has a status, points (bounded by the row's maximum) and finding per indicator."""
    from dossier.web.findings import per_row

    ws, app, store = site
    client, csrf = login_as(app, "pingjia")
    page = client.get(f"/d/{OWN}/findings")
    names = re.findall(r'name="(evaluator\.indicators\.[^"]+)"', page.text)
    if not per_row():
        assert names == [] and "不含逐项的第三方评价" in page.text
        return
    points = next(n for n in names if n.endswith(".points"))
    version = re.search(r'name="_version" value="(\w+)"', page.text).group(1)
    too_many = client.post(f"/d/{OWN}/findings", data={"csrf_token": csrf, "_version": version, points: "999"})
    assert too_many.status_code == 400 and "应在 0–" in too_many.text
    saved = client.post(f"/d/{OWN}/findings", data={"csrf_token": csrf, "_version": version, points: "1",
                                                    points.replace(".points", ".finding"): "现场核实"},
                        follow_redirects=False)
    assert saved.status_code == 303
    assert {e.target for e in audit.entries(store, OWN) if e.event == "edit"} == {
        points, points.replace(".points", ".finding")}


def test_templates_have_no_inline_script():
    """The Content-Security-Policy forbids inline script: no <script> body, no on…=
    handler attribute, no javascript: URL in any template."""
    from dossier.web.resources import TEMPLATES_DIR

    for template in Path(TEMPLATES_DIR).glob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), template.name
        assert not re.search(r"\son[a-z]+\s*=", text, re.I), template.name
        assert "javascript:" not in text.lower(), template.name


def test_new_dossier_names_never_leave_the_workspace(stub_free_site):
    ws, app, store = stub_free_site
    client, csrf = login_as(app, "boss")
    before = set(ws.parent.iterdir())
    for folder in ("../outside", "..", "/tmp/abs", "a/../../b"):
        client.post("/new", data={"csrf_token": csrf, "scheme": "suzhou-green-factory", "name": "丁公司",
                                  "folder": folder, "year": "2026"})
    assert set(ws.parent.iterdir()) == before
    made = [p.parent for p in ws.parent.rglob("dossier.yaml")]
    assert all(d.resolve().parent == ws.resolve() for d in made), made
