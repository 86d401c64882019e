"""Accounts and access (dossier/access): a real SQLite file in a real workspace folder,
real argon2 hashes; time is moved with an injected clock instead of sleeping."""

from __future__ import annotations

import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from dossier.access import audit, http, modes, sessions, users
from dossier.access.roles import (ACTIONS, LOCAL_USER, Role, User, action_for_field, allowed, denied_fields,
                                  status_for)
from dossier.access.store import AccessStore
from dossier.cli import main
from dossier.errors import BadInputError
from dossier.scaffold import init_dossier

PASSWORD = "correct horse 42"


class Clock:
    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.t = start

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


PRODUCTION_HASHER = users._hasher


@pytest.fixture(autouse=True)
def quick_argon2(monkeypatch):
    """argon2id with its memory and time cost lowered, so that the many logins of these
    tests take milliseconds on a busy machine; one test checks the production settings."""
    from argon2 import PasswordHasher

    monkeypatch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


def test_production_hashes_use_argon2id_at_its_recommended_cost():
    digest = PRODUCTION_HASHER.hash(PASSWORD)
    assert digest.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert PRODUCTION_HASHER.verify(digest, PASSWORD)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    for name, company in (("acme", "甲公司"), ("beta", "乙公司")):
        init_dossier(ws / name, "suzhou-green-factory", name=company, reporting_year=2026)
    return ws


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(workspace: Path, clock: Clock) -> AccessStore:
    return AccessStore(workspace, clock=clock)


# -- the authorisation function ----------------------------------------------------------

# The specification, written out by hand (not read from the code): what each role may do
# in a dossier it reaches. Workspace actions are listed separately.
MAY = {
    "admin": {"view", "edit_data", "edit_self_assessment", "edit_findings", "upload", "delete_evidence",
              "render", "build", "download", "rollover"},
    "consultant": {"view", "edit_data", "edit_self_assessment", "edit_findings", "upload", "delete_evidence",
                   "render", "build", "download", "rollover"},
    "client": {"view", "edit_data", "edit_self_assessment", "upload"},
    "evaluator": {"view", "edit_findings", "render", "download"},
}
MAY_WORKSPACE = {
    "admin": {"list", "create", "admin"},
    "consultant": {"list", "create"},
    "client": {"list"},
    "evaluator": {"list"},
}
DOSSIER_ACTIONS = ["view", "edit_data", "edit_self_assessment", "edit_findings", "upload", "delete_evidence",
                   "render", "build", "download", "rollover"]


def _user(role: str, scope: str = "assigned") -> User:
    return User(name=f"u-{role}", role=Role(role), scope="all" if role == "admin" else scope,
                dossiers=frozenset({"acme"}))


def test_the_action_vocabulary_is_the_documented_one():
    assert ACTIONS == set(DOSSIER_ACTIONS) | {"list", "create", "admin"}


@pytest.mark.parametrize("role", ["admin", "consultant", "client", "evaluator"])
@pytest.mark.parametrize("action", DOSSIER_ACTIONS)
def test_allowed_on_own_and_other_dossier(role, action):
    user = _user(role)
    assert allowed(user, action, "acme") is (action in MAY[role])
    # "beta" is not assigned: only an admin reaches it.
    assert allowed(user, action, "beta") is (role == "admin" and action in MAY[role])


@pytest.mark.parametrize("action", DOSSIER_ACTIONS)
def test_consultant_with_scope_all_reaches_every_dossier(action):
    consultant = User(name="c", role=Role.CONSULTANT, scope="all")
    assert allowed(consultant, action, "beta") is (action in MAY["consultant"])
    # Scope "all" widens only a consultant: a client or evaluator stays with its dossiers.
    for role in ("client", "evaluator"):
        assert not allowed(User(name="k", role=Role(role), scope="all", dossiers=frozenset({"acme"})), "view", "beta")


@pytest.mark.parametrize("role", ["admin", "consultant", "client", "evaluator"])
@pytest.mark.parametrize("action", ["list", "create", "admin"])
def test_allowed_workspace_actions(role, action):
    assert allowed(_user(role), action) is (action in MAY_WORKSPACE[role])


@pytest.mark.parametrize("action", sorted(["list", "create", "admin"] + DOSSIER_ACTIONS))
def test_anonymous_may_do_nothing(action):
    assert allowed(None, action, None if action in ("list", "create", "admin") else "acme") is False


def test_local_user_may_do_everything():
    for action in DOSSIER_ACTIONS:
        assert allowed(LOCAL_USER, action, "any-folder")
    for action in ("list", "create", "admin"):
        assert allowed(LOCAL_USER, action)


def test_programming_errors_raise():
    with pytest.raises(ValueError, match="unknown action"):
        allowed(_user("admin"), "delete_everything", "acme")
    with pytest.raises(ValueError, match="needs a dossier"):
        allowed(_user("admin"), "view")
    with pytest.raises(ValueError, match="workspace-wide"):
        allowed(_user("admin"), "admin", "acme")


def test_status_for_requests():
    client, evaluator = _user("client"), _user("evaluator")
    assert status_for(None, "view", "acme") == 302
    assert status_for(client, "view", "acme") == 200
    assert status_for(client, "delete_evidence", "acme") == 403
    assert status_for(client, "edit_findings", "acme") == 403
    assert status_for(client, "view", "beta") == 404          # other dossiers do not exist for it
    assert status_for(client, "upload", "beta") == 404
    assert status_for(client, "admin") == 403
    assert status_for(evaluator, "edit_data", "acme") == 403
    assert status_for(evaluator, "edit_findings", "acme") == 200


@pytest.mark.parametrize("path, action", [
    ("subject.name", "edit_data"),
    ("years.2025.energy.electricity", "edit_data"),
    ("projects.0.investment", "edit_data"),
    ("indicators.I01.status", "edit_self_assessment"),
    ("indicators.I01.points", "edit_self_assessment"),
    ("basic_conditions.B01.statement", "edit_self_assessment"),
    ("bonus.A01.points", "edit_self_assessment"),
    ("compliance.q1", "edit_self_assessment"),
    ("evaluator.highlights", "edit_findings"),
    ("evaluator", "edit_findings"),
    ("indicators.I01.evaluator_points", "edit_findings"),
    ("indicators.I01.finding", "edit_findings"),
    ("evaluation.I01.points", "edit_findings"),
    ("subject.evaluator_contact_phone", "edit_findings"),
    ("narratives.overview", "edit_data"),
])
def test_action_for_field(path, action):
    assert action_for_field(path) == action


def test_denied_fields_names_what_a_role_may_not_write():
    changed = {"years.2025.output_value", "indicators.I02.points", "evaluator.highlights"}
    assert denied_fields(_user("client"), "acme", changed) == ["evaluator.highlights"]
    assert denied_fields(_user("evaluator"), "acme", changed) == ["indicators.I02.points", "years.2025.output_value"]
    assert denied_fields(_user("consultant"), "acme", changed) == []
    assert denied_fields(_user("client"), "beta", changed) == sorted(changed)


# -- accounts ---------------------------------------------------------------------------

def test_password_is_hashed_with_argon2_and_never_stored(store, workspace):
    users.add_user(store, "张三", "client", PASSWORD, ["acme"])
    users.add_user(store, "boss", "admin", "another pass 77")
    raw = (workspace / ".dossier" / "access.sqlite3").read_bytes()
    for secret in (PASSWORD, "another pass 77"):
        assert secret.encode() not in raw
        assert secret.encode("utf-16-le") not in raw
    with sqlite3.connect(workspace / ".dossier" / "access.sqlite3") as conn:
        hashes = [r[0] for r in conn.execute("SELECT password_hash FROM users")]
    assert len(hashes) == 2 and all(h.startswith("$argon2id$") for h in hashes)
    assert hashes[0] != hashes[1]
    assert users.verify_password(store, "张三", PASSWORD).name == "张三"
    assert users.verify_password(store, "张三", PASSWORD + "x") is None
    assert users.verify_password(store, "nobody", PASSWORD) is None


def test_database_file_is_private(store, workspace):
    users.add_user(store, "boss", "admin", PASSWORD)
    db = workspace / ".dossier" / "access.sqlite3"
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert stat.S_IMODE(db.parent.stat().st_mode) == 0o700


def test_names_are_unique_across_case_and_width(store):
    users.add_user(store, "Alice", "consultant", PASSWORD)
    with pytest.raises(users.AccountError, match="已存在"):
        users.add_user(store, "ａｌｉｃｅ", "client", PASSWORD, ["acme"])  # full-width, lower case
    assert [a.name for a in users.list_accounts(store)] == ["Alice"]


@pytest.mark.parametrize("name, password, message", [
    ("bob", "short", "至少 10 个字符"),
    ("bob1234567", "BOB1234567", "不能与用户名相同"),
    ("", PASSWORD, "不能为空"),
    ("bob\nadmin", PASSWORD, "控制字符"),
    ("x" * 65, PASSWORD, "过长"),
])
def test_bad_names_and_passwords_are_refused(store, name, password, message):
    with pytest.raises(users.AccountError, match=message):
        users.add_user(store, name, "consultant", password)
    assert users.list_accounts(store) == []


def test_roles_and_scopes(store):
    assert users.add_user(store, "c-all", "consultant", PASSWORD).scope == "all"
    assert users.add_user(store, "c-one", "consultant", PASSWORD, ["acme"]).scope == "assigned"
    with pytest.raises(users.AccountError, match="不能指定 --dossier"):
        users.add_user(store, "a", "admin", PASSWORD, ["acme"])
    with pytest.raises(users.AccountError, match="未知角色"):
        users.add_user(store, "r", "root", PASSWORD)
    ev = users.add_user(store, "ev", "evaluator", PASSWORD, ["acme", "beta"])
    assert ev.dossiers == ("acme", "beta") and ev.scope == "assigned"
    assert users.assign(store, "ev", ["beta"], remove=True).dossiers == ("acme",)
    # Giving an all-dossier consultant particular dossiers narrows it to those.
    narrowed = users.assign(store, "c-all", ["beta"]).as_user()
    assert allowed(narrowed, "view", "beta") and not allowed(narrowed, "view", "acme")


def test_dossier_names_must_be_folders_of_the_workspace(store, workspace, tmp_path, monkeypatch):
    assert users.dossier_name(store, workspace / "acme") == "acme"
    assert users.dossier_name(store, "beta") == "beta"
    monkeypatch.chdir(workspace)
    assert users.dossier_name(store, "./acme/") == "acme"
    outside = tmp_path / "elsewhere"
    init_dossier(outside, "suzhou-green-factory", name="外", reporting_year=2026)
    (workspace / "link").symlink_to(outside)
    for bad in ("../elsewhere", str(outside), "link", "/etc", "acme/evidence", "missing"):
        with pytest.raises(users.AccountError, match="不是工作区"):
            users.dossier_name(store, bad)


def test_password_change_ends_sessions_and_old_password(store):
    users.add_user(store, "bob", "consultant", PASSWORD)
    _, token = sessions.login(store, "bob", PASSWORD)
    assert sessions.session(store, token).user.name == "bob"
    users.set_password(store, "bob", "new password 99")
    assert sessions.session(store, token) is None
    with pytest.raises(sessions.LoginError):
        sessions.login(store, "bob", PASSWORD)
    sessions.login(store, "bob", "new password 99")


def test_remove_user_ends_sessions_keeps_last_admin_and_audit(store):
    users.add_user(store, "boss", "admin", PASSWORD)
    users.add_user(store, "bob", "client", PASSWORD, ["acme"])
    _, token = sessions.login(store, "bob", PASSWORD)
    users.remove_user(store, "bob")
    assert sessions.session(store, token) is None
    assert users.find_account(store, "bob") is None
    with pytest.raises(users.AccountError, match="唯一的管理员"):
        users.remove_user(store, "boss")
    # The login of the removed account is still in the audit log.
    assert any(e.event == "login" and e.user == "bob" for e in audit.entries(store, workspace=True))


# -- sessions and login throttling ------------------------------------------------------

def test_session_token_is_random_and_stored_hashed(store, workspace):
    users.add_user(store, "bob", "consultant", PASSWORD)
    _, t1 = sessions.login(store, "bob", PASSWORD, ip="10.0.0.5")
    _, t2 = sessions.login(store, "bob", PASSWORD, ip="10.0.0.5")
    assert t1 != t2 and len(t1) >= 40
    raw = (workspace / ".dossier" / "access.sqlite3").read_bytes()
    assert t1.encode() not in raw and t2.encode() not in raw
    assert sessions.session(store, t1 + "x") is None
    assert sessions.session(store, "") is None
    sessions.logout(store, t1)
    assert sessions.session(store, t1) is None
    assert sessions.session(store, t2).user.name == "bob"


def test_sessions_expire_when_idle_and_after_max_age(store, clock):
    users.add_user(store, "bob", "consultant", PASSWORD)
    _, token = sessions.login(store, "bob", PASSWORD)
    clock.advance(sessions.IDLE_TIMEOUT - 60)
    assert sessions.session(store, token)       # used: idle timer restarts
    clock.advance(sessions.IDLE_TIMEOUT - 60)
    assert sessions.session(store, token)
    clock.advance(sessions.IDLE_TIMEOUT + 1)
    assert sessions.session(store, token) is None  # idle too long

    _, token = sessions.login(store, "bob", PASSWORD)
    for _ in range(int(sessions.MAX_AGE // 3600)):
        clock.advance(3600)
        session = sessions.session(store, token)
    assert session is None                          # 12 h after login, however busy


def test_lockout_after_repeated_failures(store, clock):
    users.add_user(store, "bob", "consultant", PASSWORD)
    for attempt in range(sessions.MAX_FAILURES - 1):
        with pytest.raises(sessions.LoginError, match="用户名或密码错误"):
            sessions.login(store, "bob", f"wrong {attempt}", ip="10.0.0.9")
    with pytest.raises(sessions.LoginError, match="已暂时锁定"):
        sessions.login(store, "bob", "wrong again", ip="10.0.0.9")
    # Locked: even the right password is refused, from any address, and the name stays locked.
    with pytest.raises(sessions.LoginError, match="已暂时锁定"):
        sessions.login(store, "BOB", PASSWORD, ip="10.0.0.10")
    events = [e.event for e in audit.entries(store, workspace=True)]
    assert events.count("lockout") == 1
    assert events.count("login_failed") == sessions.MAX_FAILURES + 1
    lock = next(e for e in audit.entries(store, workspace=True) if e.event == "lockout")
    assert lock.user == "bob" and "10.0.0.9" in lock.detail
    # After the lock-out time the right password works again; the count starts afresh.
    clock.advance(sessions.LOCKOUT + 1)
    account, token = sessions.login(store, "bob", PASSWORD)
    assert account.name == "bob" and sessions.session(store, token)
    with pytest.raises(sessions.LoginError, match="用户名或密码错误"):
        sessions.login(store, "bob", "wrong once more")


def test_failures_spread_over_time_do_not_lock(store, clock):
    users.add_user(store, "bob", "consultant", PASSWORD)
    for attempt in range(sessions.MAX_FAILURES * 2):
        with pytest.raises(sessions.LoginError, match="用户名或密码错误"):
            sessions.login(store, "bob", "wrong")
        clock.advance(sessions.FAILURE_WINDOW / (sessions.MAX_FAILURES - 1) + 1)
    sessions.login(store, "bob", PASSWORD)


def test_unknown_names_are_throttled_like_known_ones(store):
    users.add_user(store, "bob", "consultant", PASSWORD)
    messages = set()
    for _ in range(sessions.MAX_FAILURES):
        with pytest.raises(sessions.LoginError) as err:
            sessions.login(store, "nobody", "guess guess")
        messages.add(str(err.value))
    assert messages == {"用户名或密码错误。", f"登录失败次数过多，已暂时锁定，请 {sessions.LOCKOUT // 60} 分钟后再试。"}


def test_one_address_trying_many_names_is_locked(store):
    users.add_user(store, "bob", "consultant", PASSWORD)
    for i in range(sessions.MAX_IP_FAILURES - 1):
        with pytest.raises(sessions.LoginError, match="用户名或密码错误"):
            sessions.login(store, f"name{i}", "guess guess", ip="203.0.113.7")
    with pytest.raises(sessions.LoginError, match="已暂时锁定"):
        sessions.login(store, "name-last", "guess guess", ip="203.0.113.7")
    with pytest.raises(sessions.LoginError, match="已暂时锁定"):
        sessions.login(store, "bob", PASSWORD, ip="203.0.113.7")
    sessions.login(store, "bob", PASSWORD, ip="198.51.100.1")  # another address is not locked


def test_csrf_tokens(store):
    users.add_user(store, "bob", "consultant", PASSWORD)
    _, t1 = sessions.login(store, "bob", PASSWORD)
    _, t2 = sessions.login(store, "bob", PASSWORD)
    c1 = sessions.csrf_token(store, t1)
    assert len(c1) == 64 and c1 == sessions.csrf_token(store, t1)
    assert sessions.csrf_ok(store, t1, c1)
    assert not sessions.csrf_ok(store, t2, c1)            # another session's token
    assert not sessions.csrf_ok(store, t1, c1[:-1] + ("0" if c1[-1] != "0" else "1"))
    assert not sessions.csrf_ok(store, t1, "")
    assert not sessions.csrf_ok(store, t1, None)
    assert not sessions.csrf_ok(store, None, c1)
    # Another workspace (another secret) derives other tokens from the same session.
    other = AccessStore(store.workspace / "acme")
    assert sessions.csrf_token(other, t1) != c1


# -- audit log --------------------------------------------------------------------------

def test_audit_entries_per_dossier(store, clock):
    bob = users.add_user(store, "bob", "client", PASSWORD, ["acme"]).as_user()
    audit.record_changes(store, bob, "acme", [("years.2025.output_value", 1200.5, 1300),
                                               ("subject.name", "甲公司", "甲有限公司")])
    clock.advance(5)
    audit.record(store, bob, "upload", dossier="acme", target="evidence/01 营业执照/执照.pdf", detail="123456 字节")
    clock.advance(5)
    audit.record(store, "boss", "build", dossier="beta", target="output/package/材料包.pdf", detail="42 页")
    acme = audit.entries(store, "acme")
    assert [(e.event, e.target) for e in acme] == [
        ("upload", "evidence/01 营业执照/执照.pdf"),
        ("edit", "subject.name"),
        ("edit", "years.2025.output_value"),
    ]
    edit = acme[2]
    assert (edit.user, edit.role, edit.old, edit.new) == ("bob", "client", 1200.5, 1300)
    assert acme[1].old == "甲公司" and acme[1].new == "甲有限公司"
    assert [e.event for e in audit.entries(store, "beta")] == ["build"]
    assert len(audit.entries(store, workspace=True)) == 4
    with pytest.raises(ValueError):
        audit.record(store, bob, "hack", dossier="acme")


def test_audit_survives_reopening(workspace, clock):
    audit.record(AccessStore(workspace, clock=clock), "boss", "build", dossier="acme", target="p.pdf")
    assert [e.target for e in audit.entries(AccessStore(workspace), "acme")] == ["p.pdf"]


def test_corrupt_database_is_a_clear_error(workspace):
    (workspace / ".dossier").mkdir()
    (workspace / ".dossier" / "access.sqlite3").write_bytes(b"this is not a database" * 100)
    with pytest.raises(BadInputError, match="已损坏或不是 SQLite 文件"):
        users.list_accounts(AccessStore(workspace))


# -- serving modes ----------------------------------------------------------------------

@pytest.mark.parametrize("host, loopback", [
    ("127.0.0.1", True), ("127.0.0.2", True), ("::1", True), ("[::1]", True), ("localhost", True),
    ("0.0.0.0", False), ("::", False), ("192.168.1.20", False), ("10.0.0.1", False), ("example.com", False),
])
def test_is_loopback(host, loopback):
    assert modes.is_loopback(host) is loopback


def test_modes(store, workspace):
    assert modes.serve_mode(store, "127.0.0.1") is modes.Mode.LOCAL
    assert not (workspace / ".dossier").exists()             # asking created nothing
    with pytest.raises(modes.NoAdminError, match="必须先创建管理员账户"):
        modes.serve_mode(store, "0.0.0.0")
    users.add_user(store, "bob", "client", PASSWORD, ["acme"])
    assert modes.serve_mode(store, "127.0.0.1") is modes.Mode.ACCOUNTS  # accounts exist: log in
    with pytest.raises(modes.NoAdminError):
        modes.serve_mode(store, "192.168.1.20")               # a client is not an admin
    users.add_user(store, "boss", "admin", PASSWORD)
    assert modes.serve_mode(store, "0.0.0.0") is modes.Mode.ACCOUNTS


# -- HTTP protection --------------------------------------------------------------------

def test_security_headers_and_cookies():
    headers = http.security_headers(https=False)
    csp = dict(part.split(" ", 1) for part in headers["Content-Security-Policy"].split("; "))
    assert csp["script-src"] == "'self'"                     # no inline script, no eval
    assert "unsafe" not in csp["default-src"]
    assert csp["frame-ancestors"] == "'self'"
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "Strict-Transport-Security" not in headers
    assert "Strict-Transport-Security" in http.security_headers(https=True)
    assert http.cookie_options(https=True)["secure"] is True
    plain = http.cookie_options(https=False)
    assert plain["secure"] is False and plain["httponly"] is True and plain["samesite"] == "lax"


# -- the CLI ----------------------------------------------------------------------------

def test_users_cli(runner, workspace):
    ws = ["--workspace", str(workspace)]
    result = runner.invoke(main, ["users", "add", "张三", "--role", "client", "--dossier", "acme", *ws],
                           input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert "已添加用户 张三（申报企业），可访问：acme" in result.output
    result = runner.invoke(main, ["users", "add", "boss", "--role", "admin", *ws], input="admin pass 123\n")
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["users", "add", "ev", "--role", "evaluator", *ws], input=PASSWORD + "\n")
    assert result.exit_code == 2 and "--dossier" in result.output
    result = runner.invoke(main, ["users", "add", "ev", "--role", "evaluator", "--dossier", "../x", *ws],
                           input=PASSWORD + "\n")
    assert result.exit_code == 2 and "不是工作区" in result.output
    result = runner.invoke(main, ["users", "list", *ws])
    assert result.exit_code == 0
    assert result.output.splitlines() == ["boss\tadmin（管理员）\t全部档案", "张三\tclient（申报企业）\tacme"]
    assert "argon2" not in result.output
    result = runner.invoke(main, ["users", "passwd", "张三", *ws], input="short\n")
    assert result.exit_code == 2 and "至少 10 个字符" in result.output
    result = runner.invoke(main, ["users", "passwd", "张三", *ws], input="a new password\n")
    assert result.exit_code == 0, result.output
    store = AccessStore(workspace)
    assert users.verify_password(store, "张三", "a new password")
    result = runner.invoke(main, ["users", "assign", "张三", "--dossier", "beta", *ws])
    assert result.exit_code == 0 and "acme、beta" in result.output
    result = runner.invoke(main, ["users", "remove", "boss", *ws])
    assert result.exit_code == 2 and "唯一的管理员" in result.output
    result = runner.invoke(main, ["users", "remove", "张三", *ws])
    assert result.exit_code == 0
    result = runner.invoke(main, ["users", "remove", "nobody", *ws])
    assert result.exit_code == 2 and "没有用户 nobody" in result.output
    events = [e.event for e in audit.entries(store, workspace=True)]
    assert events == ["user_remove", "user_assign", "user_passwd", "user_add", "user_add"]


def test_users_add_reads_the_password_from_stdin_in_a_real_process(workspace):
    """The password never appears among the process's arguments (visible in `ps`)."""
    assert "--password" not in subprocess.run(
        [sys.executable, "-m", "dossier.cli", "users", "add", "--help"], capture_output=True, text=True).stdout
    proc = subprocess.run(
        [sys.executable, "-m", "dossier.cli", "users", "add", "boss", "--role", "admin", "--workspace", str(workspace)],
        input=PASSWORD + "\n", capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert users.verify_password(AccessStore(workspace), "boss", PASSWORD)


@pytest.mark.parametrize("host, headers, ok", [
    ("127.0.0.1:8765", [], True),
    ("localhost:8765", ["accept"], True),
    ("[::1]:8765", [], True),
    ("127.0.0.1", [], True),
    ("dossier.example.com", [], False),              # DNS rebinding: a name pointed at 127.0.0.1
    ("evil.example:8765", [], False),
    ("", [], False),
    (None, [], False),
    ("127.0.0.1:8765", ["X-Forwarded-For"], False),   # passed on by a reverse proxy
    ("localhost", ["forwarded"], False),
    ("127.0.0.1:8765", ["X-Real-IP"], False),
])
def test_local_mode_answers_only_this_computer(host, headers, ok):
    assert modes.local_request_ok(host, headers) is ok


def test_audit_of_edit_outcomes(store):
    """The outcomes of a dossier.yaml save become one entry per changed field."""
    import datetime as dt
    from types import SimpleNamespace as Outcome

    outcomes = [Outcome(path="subject.name", status="changed", old="甲公司", new="甲有限公司"),
                Outcome(path="years.2025.output_value", status="filled", old=None, new=1300.5),
                Outcome(path="fill_date", status="cleared", old=dt.date(2026, 3, 1), new=None),
                Outcome(path="subject.credit_code", status="same", old="X", new="X"),
                Outcome(path="subject.address", status="conflict", old="A", new="B")]
    assert audit.record_outcomes(store, "bob", "acme", outcomes) == 3
    got = {e.target: (e.old, e.new) for e in audit.entries(store, "acme")}
    assert got == {"subject.name": ("甲公司", "甲有限公司"), "years.2025.output_value": (None, 1300.5),
                   "fill_date": ("2026-03-01", None)}


@pytest.mark.parametrize("path, label", [
    ("evaluator.highlights", "第三方评价机构 / 受评价方主要亮点"),
    ("years.2025.output_value", "年度数据 / 2025 / 工业总产值"),
    ("indicators.I01.points", "评价指标自评 / I01 / 自评得分"),
    ("subject.certifications[2].number", "申报主体 / 管理体系及产品认证 / 2 / 证书编号"),
    ("no_such.field", ""),
])
def test_audit_shows_fields_by_their_chinese_description(path, label):
    assert audit.describe_field(path) == label


def test_old_login_attempts_are_purged_but_the_audit_log_keeps_them(store, clock, workspace):
    users.add_user(store, "bob", "consultant", PASSWORD)
    for _ in range(3):
        with pytest.raises(sessions.LoginError):
            sessions.login(store, "bob", "wrong wrong")
    clock.advance(2 * 86400)
    sessions.login(store, "bob", PASSWORD)
    with sqlite3.connect(workspace / ".dossier" / "access.sqlite3") as conn:
        assert conn.execute("SELECT success FROM login_attempts").fetchall() == [(1,)]
    assert [e.event for e in audit.entries(store, workspace=True)].count("login_failed") == 3
