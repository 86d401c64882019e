"""证明材料: the checklist with each item's files, upload into an item, preview, removal to
the dossier's trash folder, and extraction proposals accepted one by one."""

from __future__ import annotations

import datetime as dt
import json
import mimetypes
import re
import shutil
from pathlib import Path
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response

from .. import edit
from ..evidence_check import check_dossier
from ..errors import DossierError
from ..loader import EVIDENCE_DIR, load_dossier
from ..render.forms import OUTPUT_DIR
from .pages import dossier_context, render
from .uploads import check_length, read_upload
from .auth import note, note_outcomes, require, require_fields
from .workspace import TRASH_DIR, confine

STATUS_CLASS = {"ok": "ok", "missing": "bad", "expired": "bad", "incomplete": "bad", "expiring": "warn",
                "to_confirm": "warn", "not_applicable": "na"}
# items whose documents (licences, certificates, listings, verification statements) carry
# values for dossier.yaml: an upload into them proposes those values at once
EXTRACTABLE = ("营业执照", "法人登记", "证书", "认证", "名单", "核查", "碳足迹", "能源审计", "对标")


def extractable_item(title: str) -> bool:
    return any(word in title for word in EXTRACTABLE)


def _checklist(directory: Path, today: dt.date):
    loaded = load_dossier(directory)
    return loaded, check_dossier(loaded, loaded.dossier.submission_date or today)


async def evidence_tab(request: Request) -> Response:
    directory = request.state.dossier_dir
    context = dossier_context(request, "evidence")
    loaded, report = await run_in_threadpool(_checklist, directory, request.app.state.today())
    context.update(report=report, status_class=STATUS_CLASS, message=request.query_params.get("msg", ""),
                   trash=_trash_count(directory), extractable_item=extractable_item)
    return render(request, "evidence.html", context)


def _trash_count(directory: Path) -> int:
    trash = directory / TRASH_DIR
    return sum(1 for p in trash.rglob("*") if p.is_file()) if trash.is_dir() else 0


def _free_name(folder: Path, name: str) -> Path:
    target = folder / name
    stem, suffix = target.stem, target.suffix
    n = 2
    while target.exists():
        target = folder / f"{stem}（{n}）{suffix}"
        n += 1
    return target


def _pdf_problem(path: Path) -> str | None:
    from pypdf import PdfReader

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            return "PDF 已加密"
        return None if len(reader.pages) > 0 else "PDF 没有页面"
    except Exception as exc:  # noqa: BLE001 - any failure to read is what we report
        return f"PDF 无法读取（{type(exc).__name__}）"


async def upload(request: Request) -> Response:
    await check_length(request)
    directory = request.state.dossier_dir
    no = request.path_params["no"]
    loaded = await run_in_threadpool(load_dossier, directory)
    item = next((i for i in loaded.scheme.evidence_list if i.no == no), None)
    if item is None:
        raise HTTPException(404, "没有这一项材料")
    form = await request.form()
    files = [f for f in form.getlist("file")]
    if not files:
        raise HTTPException(400, "没有收到文件")
    saved: list[str] = []
    notes: list[str] = []
    for f in files:
        up = await read_upload(request, f)
        folder = confine(directory, f"{EVIDENCE_DIR}/{item.folder}")
        folder.mkdir(parents=True, exist_ok=True)
        target = _free_name(folder, up.name)
        confine(directory, target.relative_to(directory.resolve()).as_posix())
        tmp = target.with_name(f".{target.name}.upload")
        tmp.write_bytes(up.data)
        tmp.replace(target)
        rel = target.relative_to(directory.resolve()).as_posix()
        saved.append(rel)
        note(request, "upload", target=rel, detail=f"第 {no} 项，{len(up.data)} 字节，{up.kind}")
        if up.kind == "pdf":
            problem = _pdf_problem(target)
            if problem:
                notes.append(f"“{target.name}”已保存，但{problem}：检查清单会标出此文件")
    message = f"已上传 {len(saved)} 个文件到第 {no} 项" + ("；" + "；".join(notes) if notes else "")
    extract_url = f"/d/{request.state.dossier_name}/extract?" + "&".join(f"file={quote(r)}" for r in saved)
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse({"saved": saved, "message": message,
                             "extract": extract_url if form.get("extract") else None})
    if form.get("extract"):
        return RedirectResponse(extract_url, status_code=303)
    return RedirectResponse(f"/d/{request.state.dossier_name}/evidence?msg={quote(message)}", status_code=303)


async def remove(request: Request) -> Response:
    """Move a file of evidence/ into the dossier's .trash/<time>/… (never deleted)."""
    directory = request.state.dossier_dir
    form = await request.form()
    rel = str(form.get("path", ""))
    path = confine(directory, rel)
    evidence = (directory / EVIDENCE_DIR).resolve()
    if evidence not in path.parents or not path.is_file():
        raise HTTPException(404, "没有这个文件")
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = directory.resolve() / TRASH_DIR / stamp / path.relative_to(directory.resolve())
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(path), str(target))
    note(request, "remove", target=path.relative_to(directory.resolve()).as_posix(),
         old=path.relative_to(directory.resolve()).as_posix(), new=target.relative_to(directory.resolve()).as_posix())
    message = f"已将“{path.name}”移到档案的回收目录 {TRASH_DIR}/{stamp}/"
    return RedirectResponse(f"/d/{request.state.dossier_name}/evidence?msg={quote(message)}", status_code=303)


async def file(request: Request) -> Response:
    directory = request.state.dossier_dir
    path = confine(directory, request.path_params["path"])
    if not path.is_file():
        raise HTTPException(404, "没有这个文件")
    if path.relative_to(directory.resolve()).parts[0] == OUTPUT_DIR:
        require(request, "download", request.state.dossier_name)  # generated forms and packages
    media = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    inline = media in ("application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp") \
        and not request.query_params.get("download")
    return FileResponse(path, media_type=media, filename=path.name,
                        content_disposition_type="inline" if inline else "attachment")


# --- extraction proposals ------------------------------------------------------------------


def _jsonable(value):
    if isinstance(value, (dt.date,)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def _proposals(directory: Path, files: list[Path]):
    from ..extract import apply_to_dossier, extract

    documents = extract(files)
    report = apply_to_dossier(documents, directory, dry_run=True)
    return documents, report


async def proposals(request: Request) -> Response:
    directory = request.state.dossier_dir
    rels = request.query_params.getlist("file")
    files = [confine(directory, r) for r in rels]
    files = [f for f in files if f.is_file()]
    if not files:
        raise HTTPException(404, "没有这个文件")
    context = dossier_context(request, "evidence")
    try:
        documents, report = await run_in_threadpool(_proposals, directory, files)
    except DossierError as exc:
        context.update(error=str(exc), documents=[], changes=[], skipped=[])
        return render(request, "proposals.html", context)
    changes = [{"path": c.path, "status": c.status, "value": c.value, "json": json.dumps(_jsonable(c.value), ensure_ascii=False),
                "source": c.source, "text": c.text, "current": c.current, "current_source": c.current_source,
                "reason": c.reason} for c in report.changes]
    context.update(documents=documents, changes=changes, skipped=report.skipped_documents, error="",
                   files=rels, accepted=request.query_params.getlist("ok"), message=request.query_params.get("msg", ""))
    return render(request, "proposals.html", context)


_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _typed(value):
    if isinstance(value, str) and _ISO.match(value):
        return dt.date.fromisoformat(value)
    if isinstance(value, dict):
        return {k: _typed(v) for k, v in value.items()}
    return value


def _accept(directory: Path, path: str, value, source: str) -> edit.Outcome:
    e = edit.DossierEdit(directory)
    keys = edit.parse_path(path)
    if isinstance(value, dict) and isinstance(keys[-1], int):  # a new record (a certificate)
        index = e.append(keys[:-1], {k: (edit.DoubleQuotedScalarString(v) if isinstance(v, str) else v)
                                     for k, v in value.items()})
        entry = edit.get(e.data, (*keys[:-1], index))
        entry.yaml_add_eol_comment(f"来源：{source}", next(iter(entry)))
        outcome = edit.Outcome(edit.dotted((*keys[:-1], index)), edit.FILLED, value)
    else:
        outcome = e.fill(keys, edit.DoubleQuotedScalarString(value) if isinstance(value, str) else value, source=source)
    if outcome.status == edit.FILLED:
        e.save()
    return outcome


async def accept(request: Request) -> Response:
    directory = request.state.dossier_dir
    form = await request.form()
    path, source = str(form.get("path", "")), str(form.get("source", ""))
    require_fields(request, request.state.dossier_name, [path])  # e.g. a findings field is not data
    try:
        value = _typed(json.loads(str(form.get("value", "null"))))
    except ValueError as exc:
        raise HTTPException(400, "提取值无法读取") from exc
    try:
        outcome = await run_in_threadpool(_accept, directory, path, value, source)
        message = str(outcome)
        note_outcomes(request, [outcome])
    except (DossierError, edit.EditError) as exc:
        message = f"未填入 {path}：{exc}"
    back = [("file", f) for f in form.getlist("file")] + [("ok", str(o)) for o in form.getlist("ok")] + [("ok", path)]
    query = "&".join(f"{k}={quote(str(v))}" for k, v in back) + f"&msg={quote(message)}"
    return RedirectResponse(f"/d/{request.state.dossier_name}/extract?{query}", status_code=303)
