"""Roles, the action vocabulary, and the one authorisation function :func:`allowed`.

Every route of the web workspace and every file it serves asks ``allowed(user, action,
dossier)``; nothing else decides who may do what (a template may hide a button, but the
server refuses the request whatever the page showed).

Actions (``ACTIONS``) — workspace-wide ones take ``dossier=None``:

==========================  ================================================================
``list``                    see the dashboard (its rows are then filtered by ``view``)
``create``                  新建档案: initialise a dossier in the workspace
``admin``                   manage accounts; see the audit log of the whole workspace
``view``                    open a dossier: status, data, checklist, score, evidence files
                            (preview and download of the dossier's own files), its audit log
``edit_data``               基本信息 / 年度数据 (subject, years, carbon, projects …), accept
                            extracted values, data-entry workbook out and back in
``edit_self_assessment``    自评 (basic conditions, indicators, bonus, compliance answers)
``edit_findings``           the third-party evaluator's findings and points
``upload``                  add evidence files to a checklist item
``delete_evidence``         move or remove evidence (removal moves it to the dossier's trash)
``render``                  render the forms (.docx/PDF) into the dossier's output folder
``build``                   build the application package
``download``                download generated forms, packages and workbooks
``rollover``                start the next reporting year from this dossier
==========================  ================================================================

Roles:

- ``admin`` — everything, every dossier, accounts.
- ``consultant`` — everything except accounts, on every dossier (scope ``all``) or on the
  dossiers assigned to the account (scope ``assigned``).
- ``client`` — its own (assigned) dossiers only: view status, upload evidence, edit data
  fields and the self-assessment; never delete evidence, never touch findings.
- ``evaluator`` — assigned dossiers: read everything, write only the findings and points,
  render and download forms and packages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum


class Role(str, Enum):
    ADMIN = "admin"
    CONSULTANT = "consultant"
    CLIENT = "client"
    EVALUATOR = "evaluator"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.ADMIN: "管理员",
    Role.CONSULTANT: "咨询顾问",
    Role.CLIENT: "申报企业",
    Role.EVALUATOR: "第三方评价机构",
}

WORKSPACE_ACTIONS = frozenset({"list", "create", "admin"})
DOSSIER_ACTIONS = frozenset({
    "view", "edit_data", "edit_self_assessment", "edit_findings", "upload", "delete_evidence",
    "render", "build", "download", "rollover",
})
ACTIONS = WORKSPACE_ACTIONS | DOSSIER_ACTIONS

ACTION_LABELS = {
    "list": "查看工作台",
    "create": "新建档案",
    "admin": "管理账户",
    "view": "查看档案",
    "edit_data": "修改基本信息和年度数据",
    "edit_self_assessment": "修改自评",
    "edit_findings": "填写评价意见和评分",
    "upload": "上传证明材料",
    "delete_evidence": "移除证明材料",
    "render": "生成表单",
    "build": "生成材料包",
    "download": "下载表单和材料包",
    "rollover": "开始新年度",
}

# What each role may do inside the dossiers it can reach (its scope decides which).
PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.ADMIN: ACTIONS,
    Role.CONSULTANT: ACTIONS - {"admin"},
    Role.CLIENT: frozenset({"list", "view", "edit_data", "edit_self_assessment", "upload"}),
    Role.EVALUATOR: frozenset({"list", "view", "edit_findings", "render", "download"}),
}


@dataclass(frozen=True)
class User:
    """An authenticated person as the authorisation function sees it.

    ``scope`` is ``"all"`` (every dossier in the workspace) or ``"assigned"`` (only the
    dossiers named in ``dossiers``, by their folder name inside the workspace). Clients
    and evaluators are always ``assigned``; admins always ``all``.
    """

    name: str
    role: Role
    scope: str = "assigned"
    dossiers: frozenset[str] = field(default_factory=frozenset)
    id: int | None = None

    def reaches(self, dossier: str) -> bool:
        if self.role is Role.ADMIN or (self.role is Role.CONSULTANT and self.scope == "all"):
            return True
        return dossier in self.dossiers


# The single user of `dossier serve` on 127.0.0.1 with no accounts configured.
LOCAL_USER = User(name="本机用户", role=Role.ADMIN, scope="all")


def allowed(user: User | None, action: str, dossier: str | None = None) -> bool:
    """May ``user`` do ``action`` (on ``dossier``, a folder name in the workspace)?

    Workspace actions (``list``, ``create``, ``admin``) take ``dossier=None``; every other
    action needs the dossier. An anonymous request (``user is None``) may do nothing. An
    unknown action, or a dossier given to a workspace action (or missing for a dossier
    action), is a programming error and raises ``ValueError`` — so a typo in a route table
    fails the tests instead of silently denying or allowing.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}; known: {sorted(ACTIONS)}")
    if action in WORKSPACE_ACTIONS and dossier is not None:
        raise ValueError(f"action {action!r} is workspace-wide; got dossier {dossier!r}")
    if action in DOSSIER_ACTIONS and not dossier:
        raise ValueError(f"action {action!r} needs a dossier")
    if user is None:
        return False
    if action not in PERMISSIONS[user.role]:
        return False
    if dossier is None:
        return True
    return user.reaches(dossier)


def status_for(user: User | None, action: str, dossier: str | None = None) -> int:
    """The HTTP answer to a request for ``action``: 200 go ahead; 302 log in first; 404 the
    dossier is not one this user reaches (other clients' dossiers do not exist for them);
    403 the user sees the dossier (or workspace) but may not do this."""
    if user is None:
        return 302
    if dossier is not None and action in DOSSIER_ACTIONS and not allowed(user, "view", dossier):
        return 404
    return 200 if allowed(user, action, dossier) else 403


# -- which action a change to a dossier.yaml field needs ---------------------------------
# Checked in order; the first pattern matching the dotted field path wins. Findings are
# the evaluator's: the third-party block and any field whose last part starts with
# ``evaluator_`` / ``finding`` (e.g. ``indicators.X.evaluator_points``). Self-assessment
# is the applicant's own answers. Everything else in dossier.yaml is data.
FIELD_ACTIONS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(evaluator|evaluation)(\.|$)"), "edit_findings"),
    (re.compile(r"(^|\.)(evaluator_|finding)[^.]*(\.|$)"), "edit_findings"),
    (re.compile(r"^(basic_conditions|indicators|bonus|compliance|self_evaluation)(\.|$)"),
     "edit_self_assessment"),
]


def action_for_field(path: str) -> str:
    """The action needed to change the dossier.yaml field at dotted ``path``.

    >>> action_for_field("years.2024.output_value")
    'edit_data'
    >>> action_for_field("indicators.I01.status")
    'edit_self_assessment'
    >>> action_for_field("evaluator.highlights")
    'edit_findings'
    """
    for pattern, action in FIELD_ACTIONS:
        if pattern.search(path):
            return action
    return "edit_data"


def denied_fields(user: User | None, dossier: str, paths: list[str] | set[str]) -> list[str]:
    """The changed field paths ``user`` may not write in ``dossier`` (empty: all allowed)."""
    return sorted(p for p in paths if not allowed(user, action_for_field(p), dossier))
