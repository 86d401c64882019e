"""评分, 表单, 材料包, 新年度 and the Excel workbook of a dossier's page."""

from __future__ import annotations

import asyncio
import json
import tempfile
from pathlib import Path
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response, StreamingResponse

from .. import edit
from ..access.audit import plain as audit_plain
from ..errors import DossierError
from ..loader import load_dossier
from ..render.forms import OUTPUT_DIR, form_file_name
from .charts import category_chart
from .pages import dossier_context, render, safe_folder_name
from .uploads import check_length, read_upload
from .auth import created, note, record_build, require_fields
from .workspace import confine

# --- 评分 ------------------------------------------------------------------------------------------


def _score(directory: Path):
    from ..scoring import score_dossier

    return score_dossier(load_dossier(directory))


async def score_tab(request: Request) -> Response:
    context = dossier_context(request, "score")
    report = await run_in_threadpool(_score, request.state.dossier_dir)
    context.update(report=report)
    return render(request, "score.html", context)


async def score_chart(request: Request) -> Response:
    report = await run_in_threadpool(_score, request.state.dossier_dir)
    return Response(category_chart(report), media_type="image/svg+xml")


# --- 表单 ------------------------------------------------------------------------------------------


def _outputs(directory: Path) -> list[dict]:
    loaded = load_dossier(directory)
    out = directory / OUTPUT_DIR
    rows = []
    for form in loaded.scheme.forms:
        # the names dossier render gives them (the enterprise's full name, the annex, the title)
        found = {suffix: out / form_file_name(loaded, form, suffix) for suffix in (".docx", ".xlsx", ".pdf")}
        found = {suffix: path for suffix, path in found.items() if path.is_file()}
        rows.append({"form": form, "docx": found.get(".docx") or found.get(".xlsx"), "pdf": found.get(".pdf")})
    return rows


async def forms_tab(request: Request) -> Response:
    directory = request.state.dossier_dir
    context = dossier_context(request, "forms")
    context.update(rows=await run_in_threadpool(_outputs, directory), message=request.query_params.get("msg", ""),
                   rel=lambda p: p.relative_to(directory).as_posix())
    return render(request, "forms.html", context)


async def forms_render(request: Request) -> Response:
    from ..render import render_forms

    directory = request.state.dossier_dir
    form = await request.form()
    ids = [str(f) for f in form.getlist("form")] or None
    pdf = bool(form.get("pdf"))
    try:
        rendered = await run_in_threadpool(lambda: render_forms(load_dossier(directory), form_ids=ids, pdf=pdf))
        failed = [f"{r.title}：{r.pdf_error}" for r in rendered if r.pdf_error]
        note(request, "render", target=OUTPUT_DIR, detail=f"{len(rendered)} 份表单" + ("（含 PDF）" if pdf else ""))
        message = f"已生成 {len(rendered)} 份表单" + ("；PDF 转换失败：" + "；".join(failed) if failed else "")
    except DossierError as exc:
        message = f"未能生成：{exc}"
    return RedirectResponse(f"/d/{request.state.dossier_name}/forms?msg={quote(message)}", status_code=303)


# --- 材料包 ------------------------------------------------------------------------------------------


def _manifest(directory: Path) -> dict | None:
    path = directory / "output" / "package" / "manifest.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


async def package_tab(request: Request) -> Response:
    directory = request.state.dossier_dir
    context = dossier_context(request, "package")
    job = request.app.state.jobs.get(request.state.dossier_name)
    package_dir = directory / "output" / "package"
    files = sorted(p.relative_to(directory).as_posix() for p in package_dir.glob("*") if p.suffix in (".pdf", ".zip")) \
        if package_dir.is_dir() else []
    context.update(job=job, manifest=_manifest(directory), files=files)
    return render(request, "package.html", context)


async def package_build(request: Request) -> Response:
    form = await request.form()
    job, started = request.app.state.jobs.start_build(request.state.dossier_name, request.state.dossier_dir,
                                                      bool(form.get("allow_incomplete")),
                                                      on_done=record_build(request))
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse({"started": started, "state": job.state}, status_code=202 if started else 409)
    return RedirectResponse(f"/d/{request.state.dossier_name}/package", status_code=303)


async def package_status(request: Request) -> Response:
    job = request.app.state.jobs.get(request.state.dossier_name)
    return JSONResponse(job.to_dict() if job else {"state": "none", "events": []})


async def package_events(request: Request) -> Response:
    """Server-sent events: every progress message of the running (or last) build, from
    ``Last-Event-ID`` (or ``?from=``) on, then one ``end`` event."""
    job = request.app.state.jobs.get(request.state.dossier_name)
    start = int(request.headers.get("last-event-id") or request.query_params.get("from") or -1) + 1

    async def stream():
        if job is None:
            yield "event: end\ndata: {\"state\": \"none\"}\n\n"
            return
        n = start
        while True:
            while n < len(job.events):
                yield f"id: {n}\ndata: {json.dumps(job.events[n], ensure_ascii=False)}\n\n"
                n += 1
            if job.state != "running" and n >= len(job.events):
                yield f"event: end\ndata: {json.dumps(job.to_dict(), ensure_ascii=False)}\n\n"
                return
            if await request.is_disconnected():
                return
            await asyncio.sleep(0.3)

    return StreamingResponse(stream(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"})


# --- 新年度 ------------------------------------------------------------------------------------------


async def rollover_tab(request: Request) -> Response:
    context = dossier_context(request, "rollover")
    loaded = await run_in_threadpool(load_dossier, request.state.dossier_dir)
    context.update(year=loaded.dossier.reporting_year + 1, report=None, error="", target="")
    return render(request, "rollover.html", context)


async def rollover_run(request: Request) -> Response:
    from ..rollover import render_text, roll_over

    directory = request.state.dossier_dir
    form = await request.form()
    context = dossier_context(request, "rollover")
    try:
        year = int(str(form.get("year", "")))
    except ValueError:
        context.update(year="", report=None, error="新年度应为四位数字年份", target="")
        return render(request, "rollover.html", context, 400)
    from ..rollover.roll import default_target

    folder = safe_folder_name(str(form.get("folder") or default_target(directory, year).name))
    target = request.app.state.workspace.new_dir(folder)
    try:
        report = await run_in_threadpool(roll_over, directory, year, target)
    except DossierError as exc:
        context.update(year=year, report=None, error=str(exc), target="")
        return render(request, "rollover.html", context, 400)
    note(request, "rollover", target=folder, detail=f"{year} 年度")
    await created(request, folder, f"由 {request.state.dossier_name} 转入 {year} 年度")
    context.update(year=year, report=render_text(report), error="", target=folder)
    return render(request, "rollover.html", context)


# --- Excel 工作簿 ------------------------------------------------------------------------------------


async def workbook_tab(request: Request) -> Response:
    context = dossier_context(request, "workbook")
    context.update(preview=None, error="", token="")
    return render(request, "workbook.html", context)


async def workbook_download(request: Request) -> Response:
    from ..workbook import export_workbook

    directory = request.state.dossier_dir
    tmp = Path(tempfile.mkdtemp(prefix="dossier-wb-"))
    loaded = await run_in_threadpool(load_dossier, directory)
    name = safe_folder_name(f"{loaded.dossier.subject.name or request.state.dossier_name}-数据填报") + ".xlsx"
    result = await run_in_threadpool(export_workbook, directory, tmp / name, request.app.state.today(), True)
    data = result.path.read_bytes()
    result.path.unlink()
    tmp.rmdir()
    return Response(data, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})


def _pending_dir(directory: Path) -> Path:
    return directory / OUTPUT_DIR / ".uploads"


async def workbook_preview(request: Request) -> Response:
    """Keep the uploaded workbook inside the dossier and show what the import would change."""
    from ..workbook import import_workbook

    await check_length(request)
    directory = request.state.dossier_dir
    form = await request.form()
    context = dossier_context(request, "workbook")
    up = await read_upload(request, form.get("file"), allowed=("xlsx",))
    pending = _pending_dir(directory)
    pending.mkdir(parents=True, exist_ok=True)
    token = edit.version_of(up.data)
    path = pending / f"{token}.xlsx"
    path.write_bytes(up.data)
    try:
        report = await run_in_threadpool(import_workbook, directory, path, True)
    except DossierError as exc:
        path.unlink(missing_ok=True)
        context.update(preview=None, error=str(exc), token="")
        return render(request, "workbook.html", context, 400)
    context.update(preview=report, error="", token=token, version=edit.file_version(directory))
    return render(request, "workbook.html", context)


async def workbook_apply(request: Request) -> Response:
    from ..workbook import import_workbook

    directory = request.state.dossier_dir
    form = await request.form()
    token = str(form.get("token", ""))
    if not token.isalnum():
        raise HTTPException(404, "没有这个工作簿")
    path = confine(directory, f"{OUTPUT_DIR}/.uploads/{token}.xlsx")
    if not path.is_file():
        raise HTTPException(404, "没有这个工作簿（请重新上传）")
    context = dossier_context(request, "workbook")
    if str(form.get("version", "")) != edit.file_version(directory):
        context.update(preview=None, token="", error="dossier.yaml 在预览之后已被修改，未导入：请重新上传工作簿查看修改")
        return render(request, "workbook.html", context, 409)
    try:
        # Every field the workbook would change must be one this user may write.
        planned = await run_in_threadpool(import_workbook, directory, path, True)
        require_fields(request, request.state.dossier_name, [edit.dotted(c.path) for c in planned.changes])
        report = await run_in_threadpool(import_workbook, directory, path, False)
    except DossierError as exc:
        context.update(preview=None, error=str(exc), token="")
        return render(request, "workbook.html", context, 400)
    finally:
        path.unlink(missing_ok=True)
    if report.written:
        note(request, "import", target=path.name, detail=f"{len(report.changes)} 处内容")
        for c in report.changes:
            note(request, "edit", target=edit.dotted(c.applied_path or c.path), old=audit_plain(c.old),
                 new=audit_plain(c.new if c.action == "set" else {k: v for k, (_, v) in c.item.items()}),
                 detail=f"工作簿 {c.where}")
    context.update(preview=report, error="", token="", applied=True)
    return render(request, "workbook.html", context)
