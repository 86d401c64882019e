"""The audit log: who did what to which dossier, when — append only.

Events (``event`` column, named ``action`` in the table):

=================  =====================================================================
``edit``           a dossier.yaml field changed: ``target`` the field path, ``old``/``new``
``upload``         an evidence file added: ``target`` its path in the dossier, ``detail`` size
``move``           an evidence file moved or renamed: ``old`` → ``new`` paths
``remove``         an evidence file moved to the dossier's trash: ``old`` → ``new`` paths
``render``         forms rendered: ``target`` the output folder, ``detail`` the forms
``build``          a package built: ``target`` the package file, ``detail`` pages/size
``rollover``       the next year started: ``target`` the new dossier
``create``         a dossier created
``import``         a workbook imported (one ``edit`` entry per field follows)
``login`` / ``login_failed`` / ``lockout`` / ``logout``   (workspace-wide, dossier empty)
``user_add`` / ``user_remove`` / ``user_passwd`` / ``user_assign``   (workspace-wide)
=================  =====================================================================
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any

from .roles import User
from .store import AccessStore

EVENTS = frozenset({
    "edit", "upload", "move", "remove", "render", "build", "rollover", "create", "import",
    "login", "login_failed", "lockout", "logout",
    "user_add", "user_remove", "user_passwd", "user_assign",
})

EVENT_LABELS = {
    "edit": "修改", "upload": "上传", "move": "移动", "remove": "移入回收站", "render": "生成表单",
    "build": "生成材料包", "rollover": "新年度", "create": "新建档案", "import": "导入工作簿",
    "login": "登录", "login_failed": "登录失败", "lockout": "锁定账户", "logout": "退出",
    "user_add": "添加用户", "user_remove": "删除用户", "user_passwd": "修改密码", "user_assign": "分配档案",
}


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: float
    user: str
    role: str | None
    dossier: str | None
    event: str
    target: str | None
    old: Any
    new: Any
    detail: str | None

    @property
    def when(self) -> str:
        """Local time as people read it, e.g. 2026-12-07 14:03:05."""
        return dt.datetime.fromtimestamp(self.at).strftime("%Y-%m-%d %H:%M:%S")

    @property
    def label(self) -> str:
        return EVENT_LABELS.get(self.event, self.event)

    @property
    def role_label(self) -> str:
        from .roles import ROLE_LABELS, Role

        try:
            return ROLE_LABELS[Role(self.role)]
        except ValueError:
            return self.role or ""

    @property
    def field_label(self) -> str:
        """For an ``edit``: the field's Chinese description, e.g. 第三方评价机构 / 受评价方主要亮点."""
        return describe_field(self.target) if self.event == "edit" and self.target else ""

    def to_dict(self) -> dict:
        return {"at": self.when, "user": self.user, "role": self.role, "dossier": self.dossier,
                "event": self.event, "target": self.target, "old": self.old, "new": self.new,
                "detail": self.detail}


def _dump(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, default=str)


def _load(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def record(store: AccessStore, user: User | str | None, event: str, *, dossier: str | None = None,
           target: str | None = None, old: Any = None, new: Any = None, detail: str | None = None) -> None:
    """Append one entry. ``user`` is the acting user (or a name, e.g. for a failed login)."""
    if event not in EVENTS:
        raise ValueError(f"unknown audit event {event!r}")
    if isinstance(user, User):
        name, role = user.name, user.role.value
    else:
        name, role = (user or "（匿名）"), None
    with store.connect() as conn:
        conn.execute(
            "INSERT INTO audit (at, user, role, dossier, action, target, old, new, detail)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (store.now(), name, role, dossier, event, target, _dump(old), _dump(new), detail))


def record_changes(store: AccessStore, user: User | str | None, dossier: str,
                   changes: list[tuple[str, Any, Any]]) -> None:
    """One ``edit`` entry per ``(field path, old, new)``, in one transaction."""
    name, role = (user.name, user.role.value) if isinstance(user, User) else (user or "（匿名）", None)
    now = store.now()
    with store.connect() as conn:
        conn.executemany(
            "INSERT INTO audit (at, user, role, dossier, action, target, old, new) VALUES (?, ?, ?, ?, 'edit', ?, ?, ?)",
            [(now, name, role, dossier, path, _dump(old), _dump(new)) for path, old, new in changes])


def entries(store: AccessStore, dossier: str | None = None, *, limit: int = 500,
            workspace: bool = False) -> list[AuditEntry]:
    """The newest entries first: of one dossier, or (``workspace=True``) of everything."""
    if not store.exists:
        return []
    sql = "SELECT * FROM audit"
    args: tuple = ()
    if not workspace:
        sql += " WHERE dossier IS ?"
        args = (dossier,)
    sql += " ORDER BY at DESC, id DESC LIMIT ?"
    with store.connect(write=False) as conn:
        rows = conn.execute(sql, args + (limit,)).fetchall()
    return [AuditEntry(id=r["id"], at=r["at"], user=r["user"], role=r["role"], dossier=r["dossier"],
                       event=r["action"], target=r["target"], old=_load(r["old"]), new=_load(r["new"]),
                       detail=r["detail"]) for r in rows]


CHANGE_STATUSES = ("filled", "changed", "cleared")  # dossier.edit outcomes that changed a field


def record_outcomes(store: AccessStore, user: User | str | None, dossier: str, outcomes: list[Any]) -> int:
    """One ``edit`` entry per field a save of :mod:`dossier.edit` changed (its ``Outcome``
    objects: ``path``, ``status``, ``old``, ``new``). Returns how many were written."""
    changes = [(o.path, plain(o.old), plain(o.new)) for o in outcomes if o.status in CHANGE_STATUSES]
    if changes:
        record_changes(store, user, dossier, changes)
    return len(changes)


def plain(value: Any) -> Any:
    """A ruamel value as plain JSON-able data (dates as ISO text)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return str(value)


def describe_field(path: str) -> str:
    """The Chinese descriptions of the model's fields along a dotted dossier.yaml path
    (keys of mappings and list positions kept as they are); "" when the model does not know it."""
    from typing import get_args

    from ..introspect import is_dict, is_list, model_class, unwrap
    from ..model import Dossier

    parts = [p for p in path.replace("[", ".").replace("]", "").split(".") if p]
    cls, labels, i = Dossier, [], 0
    while i < len(parts):
        info = cls.model_fields.get(parts[i]) if cls is not None else None
        if info is None:
            return " / ".join(labels + parts[i:]) if labels else ""
        # drop notes in brackets — （年份: 数据）, （万元，现价）, （部分符合时填写） — keep （园区）
        text = re.sub(r"（[^）]*[:：，；填][^）]*）", "", info.description or parts[i])
        labels.append(text.split("，")[0].split("；")[0])
        annotation = unwrap(info.annotation, keep_annotated=True)
        if is_dict(annotation) or is_list(annotation):
            if i + 1 < len(parts):
                labels.append(parts[i + 1])
                i += 1
            args = get_args(annotation)
            cls = model_class(args[-1]) if args else None
        else:
            cls = model_class(annotation)
        i += 1
    return " / ".join(labels)
