"""工作台, 新建档案 and the data tabs of a dossier's page."""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import unicodedata
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from .. import edit
from ..errors import BadInputError, DossierError, DossierInvalidError
from ..loader import load_dossier
from ..schemes import all_schemes
from . import dataforms
from .auth import created, note_outcomes, require_fields
from .rendering import TAB_TITLES, render  # noqa: F401  (pages.render: the other pages import it from here)
from .uploads import read_upload

STATUS_FILTERS = {"": "全部", "blocking": "材料不齐", "confirm": "待确认/即将过期", "ok": "齐全", "error": "档案有误"}
SORTS = {"name": "名称", "deadline": "距提交日", "score": "得分", "missing": "缺失项"}


# --- 工作台 ------------------------------------------------------------------------------------


async def dashboard(request: Request) -> Response:
    rows = await run_in_threadpool(request.app.state.status.rows, True)
    rows = request.app.state.visible(request, rows)  # only the dossiers this user may see
    q = request.query_params
    programme, status, search, sort = q.get("programme", ""), q.get("status", ""), q.get("q", "").strip(), q.get("sort", "name")
    programmes = sorted({(r.scheme, r.scheme_name) for r in rows if r.scheme})
    shown = [r for r in rows if (not programme or r.scheme == programme) and (not status or r.status == status)
             and (not search or search.lower() in (r.enterprise + r.name).lower())]
    keys = {
        "name": lambda r: (r.enterprise or r.name),
        "deadline": lambda r: (r.days_to_submission is None, r.days_to_submission or 0),
        "score": lambda r: (r.score is None, -(r.score or 0)),
        "missing": lambda r: (-(r.counts.get("missing", 0) + r.counts.get("expired", 0)),),
    }
    shown.sort(key=keys.get(sort, keys["name"]))
    totals = {
        "dossiers": len(rows),
        "complete": sum(1 for r in rows if r.status in ("ok", "confirm")),
        "blocking": sum(1 for r in rows if r.status == "blocking"),
        "eligible": sum(1 for r in rows if r.eligible),
        "expiring": sum(1 for r in rows if r.expiring),
        "due30": sum(1 for r in rows if r.days_to_submission is not None and 0 <= r.days_to_submission <= 30),
        "errors": sum(1 for r in rows if r.error),
    }
    return render(request, "dashboard.html", {"rows": shown, "totals": totals, "programmes": programmes,
                                              "programme": programme, "status": status, "q": search, "sort": sort,
                                              "status_filters": STATUS_FILTERS, "sorts": SORTS})


# --- 新建档案 ------------------------------------------------------------------------------------


def safe_folder_name(text: str) -> str:
    """A folder name from what the user typed: no separators, control characters, leading
    dots or over-long names."""
    text = unicodedata.normalize("NFC", text or "")
    text = "".join(c for c in text if unicodedata.category(c)[0] != "C")
    text = re.sub(r"[\\/:*?\"<>|]", "_", text).strip().strip(".")
    return text[:80]


async def new_form(request: Request, error: str = "", status: int = 200) -> Response:
    schemes = [s.summary() for s in all_schemes()]
    return render(request, "new.html", {"schemes": schemes, "error": error, "year": dt.date.today().year}, status)


def _new_dir(request: Request, folder: str, unnamed: str) -> Path:
    """The folder of a new dossier named ``folder``; an error when there is no name
    (``unnamed`` says what to fill in) or the folder exists."""
    if not folder:
        raise BadInputError(unnamed)
    directory = request.app.state.workspace.new_dir(folder)
    if directory.exists():
        raise BadInputError(f"档案“{folder}”已存在，请在“目录名”中另填一个名称")
    return directory


async def new_create(request: Request) -> Response:
    from ..scaffold import init_dossier

    form = await request.form()
    scheme_id, name = str(form.get("scheme", "")), str(form.get("name", "")).strip()
    folder = safe_folder_name(str(form.get("folder", "")) or name)
    try:
        year = int(str(form.get("year") or dt.date.today().year))
    except ValueError:
        return await new_form(request, "申报年度应为四位数字年份", 400)
    try:
        directory = _new_dir(request, folder, "请填写企业（园区）名称")
        await run_in_threadpool(init_dossier, directory, scheme_id, name=name or None, reporting_year=year)
    except DossierError as exc:
        return await new_form(request, str(exc), 400)
    await created(request, folder, f"新建档案（方案 {scheme_id}）")
    return RedirectResponse(f"/d/{folder}/data/basic?created=1", status_code=303)


async def new_from_workbook(request: Request) -> Response:
    """A new dossier from a filled data-entry workbook: init with the workbook's programme,
    then the workbook import."""
    from ..scaffold import init_dossier
    from ..workbook import import_workbook
    from ..workbook.reader import open_workbook, read_meta

    form = await request.form()
    upload = await read_upload(request, form.get("file"), allowed=("xlsx",))
    with tempfile.TemporaryDirectory(prefix="dossier-new-") as tmp:
        book_path = Path(tmp) / "workbook.xlsx"
        book_path.write_bytes(upload.data)
        try:
            meta = await run_in_threadpool(lambda: read_meta(open_workbook(book_path), book_path))
        except DossierError as exc:
            return await new_form(request, str(exc), 400)
        name = str(meta.values.get("申报单位") or "").strip()
        folder = safe_folder_name(str(form.get("folder", "")) or name or upload.name.rsplit(".", 1)[0])
        try:
            directory = _new_dir(request, folder, "请在“目录名”中填写新档案的名称")
            year = int(meta.values.get("申报年度") or dt.date.today().year)
            await run_in_threadpool(init_dossier, directory, meta.scheme, name=name or None, reporting_year=year)
            report = await run_in_threadpool(import_workbook, directory, book_path)
        except DossierError as exc:
            return await new_form(request, str(exc), 400)
    await created(request, folder, f"由数据填报工作簿新建档案（{len(report.changes)} 处内容）")
    return RedirectResponse(f"/d/{folder}/data/basic?imported={len(report.changes)}", status_code=303)


async def new_from_forms(request: Request) -> Response:
    """A new dossier read back from last year's forms (.docx/.xlsx this tool generated):
    the same ``dossier import`` as the CLI."""
    from ..formimport import import_forms

    form = await request.form()
    scheme_id = str(form.get("scheme", ""))
    uploads = [await read_upload(request, f, allowed=("docx", "xlsx")) for f in form.getlist("file")]
    if not uploads:
        return await new_form(request, "请选择以往生成的表单文件（.docx 或 .xlsx）", 400)
    year_text = str(form.get("year") or "").strip()
    folder = safe_folder_name(str(form.get("folder", "")))
    try:
        directory = _new_dir(request, folder, "请填写新档案的目录名")
    except DossierError as exc:
        return await new_form(request, str(exc), 400)
    with tempfile.TemporaryDirectory(prefix="dossier-forms-") as tmp:
        paths = []
        for i, up in enumerate(uploads):
            path = Path(tmp) / f"{i:02d}-{up.name}"
            path.write_bytes(up.data)
            paths.append(path)
        try:
            year = int(year_text) if year_text else None
            await run_in_threadpool(lambda: import_forms(paths, scheme_id, directory, year=year))
        except ValueError:
            return await new_form(request, "申报年度应为四位数字年份", 400)
        except DossierError as exc:
            return await new_form(request, str(exc), 400)
    await created(request, folder, f"由以往的表单新建档案（{len(uploads)} 个文件）")
    return RedirectResponse(f"/d/{folder}/data/basic?created=1", status_code=303)


# --- a dossier's page --------------------------------------------------------------------------


def dossier_context(request: Request, tab: str) -> dict:
    directory = request.state.dossier_dir
    return {"name": request.state.dossier_name, "tab": tab, "directory": directory,
            "row": request.app.state.status.row(request.state.dossier_name)}


async def dossier_home(request: Request) -> Response:
    return RedirectResponse(f"/d/{request.state.dossier_name}/data/basic", status_code=303)


def remember(request: Request, version: str, text: str) -> None:
    """Keep the text of a version a page was rendered from (to show a conflict's changes)."""
    store = request.app.state.__dict__.setdefault("_versions", {})
    store[version] = text
    while len(store) > 500:
        store.pop(next(iter(store)))


def base_text(request: Request, directory: Path, version: str) -> str | None:
    store = getattr(request.app.state, "_versions", {})
    if version in store:
        return store[version]
    for backup in sorted(directory.glob("dossier.yaml.bak-*"), reverse=True)[:50]:
        data = backup.read_bytes()
        if edit.version_of(data) == version:
            return data.decode("utf-8", "replace")
    return None


async def data_tab(request: Request, submitted: dict | None = None, errors: dict | None = None,
                   conflict: list | None = None, saved: list | None = None, problem: str = "", status: int = 200) -> Response:
    tab = request.path_params.get("tab", "self")
    if tab not in dataforms.TABS:
        raise HTTPException(404, "没有这个页面")
    directory = request.state.dossier_dir
    context = dossier_context(request, tab)
    try:
        loaded = await run_in_threadpool(load_dossier, directory)
    except DossierInvalidError as exc:
        return render(request, "invalid.html", {**context, "issues": exc.issues}, 200)
    text = loaded.file.read_bytes()
    version = edit.version_of(text)
    remember(request, version, text.decode("utf-8"))
    sheets = dataforms.sheets_for(loaded, tab)
    context.update(sheets=sheets, version=version, submitted=submitted, errors=errors or {}, conflict=conflict,
                   saved=saved, problem=problem, cell=dataforms.cell, addable=dataforms.addable, q=request.query_params)
    return render(request, "data.html", context, status)


async def data_save(request: Request) -> Response:
    tab = request.path_params.get("tab", "self")
    if tab not in dataforms.TABS:
        raise HTTPException(404, "没有这个页面")
    directory = request.state.dossier_dir
    form = {k: str(v) for k, v in (await request.form()).items()}
    version = form.pop("_version", "")
    current = (directory / "dossier.yaml").read_bytes()
    if version != edit.version_of(current):
        base = base_text(request, directory, version)
        changes = edit.differences(base, current.decode("utf-8"), directory / "dossier.yaml") if base else []
        return await data_tab(request, submitted=form, conflict=changes or [edit.Difference("（文件）", "（未知）", "已被修改")],
                              status=409)
    loaded = await run_in_threadpool(load_dossier, directory)
    parsed = dataforms.parse(loaded, tab, form)
    # A tab may show fields of another kind (the evaluating body on 基本信息): each changed
    # field must be one this user may write.
    require_fields(request, request.state.dossier_name, [edit.dotted(p) for p, _, _ in parsed.changes]
                   + [edit.dotted(p) for p, _, _ in parsed.appends])
    if parsed.errors:
        return await data_tab(request, submitted=form, errors=parsed.errors, status=400)
    if not parsed.changes and not parsed.appends:
        return RedirectResponse(f"/d/{request.state.dossier_name}/data/{tab}?saved=0", status_code=303)
    try:
        saved = await run_in_threadpool(dataforms.apply, directory, current.decode("utf-8"), version, parsed)
    except edit.ConflictError as exc:
        return await data_tab(request, submitted=form, conflict=exc.differences, status=409)
    except DossierInvalidError as exc:
        errors = _issue_errors(loaded, tab, exc)
        return await data_tab(request, submitted=form, errors=errors,
                              problem="未保存：" + "；".join(f"{i.path}：{i.message}" for i in exc.issues[:5]), status=400)
    except BadInputError as exc:
        return await data_tab(request, submitted=form, problem=str(exc), status=400)
    note_outcomes(request, saved.outcomes)
    return RedirectResponse(f"/d/{request.state.dossier_name}/data/{tab}?saved={len(saved.outcomes)}", status_code=303)


def _issue_errors(loaded, tab: str, exc: DossierInvalidError) -> dict[str, str]:
    """Validation messages placed beside the inputs they concern."""
    out: dict[str, str] = {}
    for sheet in dataforms.sheets_for(loaded, tab):
        for block in sheet.blocks:
            for row in block.rows:
                if row.key is None or row.key.startswith("#"):
                    continue
                for column in block.columns:
                    if not column.input or column.id not in row.kinds:
                        continue
                    try:
                        path, _ = dataforms.target(block, row.key, column.id, loaded.scheme)
                    except Exception:  # noqa: BLE001
                        continue
                    dotted = ".".join(str(p) for p in path)
                    for issue in exc.issues:
                        if issue.path == dotted or issue.path.startswith(dotted + "."):
                            out[dataforms.cell_name(row, column)] = issue.message
    return out
