"""The ``dossier`` command: a thin layer over the library.

Each command parses its options, calls one library function, prints the result, and
leaves errors to :class:`DossierGroup`, which turns the library's exceptions into a
Chinese message and its exit code (0 done, 1 "not yet", 2 bad input,
3 system component missing, 130 interrupted).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import __version__, interrupts
from .errors import DossierError, DossierInvalidError
from .exitcodes import ExitCode
from .names import display

# Every command imports what it uses when it runs (`dossier validate` does not load the
# PDF, Excel and OCR libraries): start-up is part of every command's time (issue 20).
# Pydantic looks for plugins of other packages (importlib.metadata over every installed
# distribution) the first time it builds a model: a command-line run has none to load.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")


def _no_plugin_loader() -> None:
    """pydantic's plugin loader imports importlib.metadata (~30 ms) even when plugins are
    off: stand in for it with the answer it gives then (no plugins). Anything else a
    later pydantic asks of the module comes from the real one."""
    import types

    name = "pydantic.plugin._loader"
    if os.environ["PYDANTIC_DISABLE_PLUGINS"] != "__all__" or name in sys.modules:
        return

    class NoPlugins(types.ModuleType):
        def get_plugins(self) -> tuple:
            return ()

        def __getattr__(self, attr: str) -> Any:
            import importlib

            if attr.startswith("__"):  # the import system asks for __path__ and the like
                raise AttributeError(attr)
            if sys.modules.get(name) is self:
                del sys.modules[name]
            return getattr(importlib.import_module(name), attr)

    sys.modules[name] = NoPlugins(name)


_no_plugin_loader()

EXIT_INTERRUPTED = ExitCode.INTERRUPTED


def _echo_json(data: Any) -> None:
    click.echo(display(json.dumps(data, ensure_ascii=False, indent=2, default=str)))


def _show(report: Any, as_json: bool, render: Callable[[Any], str]) -> None:
    """A report as JSON (``--json``) or as the text ``render`` makes of it."""
    if as_json:
        _echo_json(report.to_dict())
    else:
        click.echo(render(report))


class DossierGroup(click.Group):
    """Converts library exceptions to messages and exit codes, in one place; imports a
    command group that lives in its own package (``users``) only when it is used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in LAZY_COMMANDS and name not in self.commands:
            import importlib

            module, attr = LAZY_COMMANDS[name]
            self.add_command(getattr(importlib.import_module(module), attr), name)
        return super().get_command(ctx, name)

    def invoke(self, ctx: click.Context) -> Any:
        interrupts.install()
        try:
            result = super().invoke(ctx)
            interrupts.check()  # an interrupt whose KeyboardInterrupt was lost on the way
            return result
        except DossierError as exc:
            if ctx.obj and ctx.obj.get("verbose"):
                traceback.print_exc()
            click.echo(f"错误：{exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("已中断。", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort, SystemExit):
            raise
        except OSError as exc:
            if ctx.obj and ctx.obj.get("verbose"):
                traceback.print_exc()
            where = f"：{exc.filename}" if getattr(exc, "filename", None) else ""
            click.echo(f"错误：无法读写文件{where}（{exc.strerror or exc}）", err=True)
            ctx.exit(ExitCode.BAD_INPUT)
        except RecursionError:
            if ctx.obj and ctx.obj.get("verbose"):
                traceback.print_exc()
            click.echo("错误：输入嵌套过深，无法处理（请检查 dossier.yaml 或所给文件）", err=True)
            ctx.exit(ExitCode.BAD_INPUT)
        except Exception as exc:  # a bug: its own exit code, one line, the traceback on request
            if ctx.obj and ctx.obj.get("verbose"):
                traceback.print_exc()
            click.echo(f"内部错误（{type(exc).__name__}）：这是 dossier 的问题，不是您的输入有误。"
                       "加 --verbose 重新运行可看到技术细节，请把它发给维护人员。", err=True)
            ctx.exit(ExitCode.INTERNAL)


json_option = click.option("--json", "as_json", is_flag=True, help="以 JSON 输出（供程序读取）。")


@click.group(cls=DossierGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dossier")
@click.option("--verbose", is_flag=True, help="出错时显示完整的技术信息（traceback）。")
@click.pass_context
def main(ctx: click.Context, verbose: bool) -> None:
    """dossier：绿色制造（零碳/近零碳工厂、绿色工厂、绿色低碳工厂和园区）申报材料生成工具。"""
    ctx.ensure_object(dict)
    ctx.obj["verbose"] = verbose
    for stream in (sys.stdout, sys.stderr):  # a name that is not UTF-8 never ends the run
        try:
            stream.reconfigure(errors="replace")  # type: ignore[union-attr]
        except (AttributeError, ValueError):
            pass


@main.command()
@click.argument("scheme_id", required=False)
@json_option
def schemes(scheme_id: str | None, as_json: bool) -> None:
    """列出支持的申报方案；给出 SCHEME_ID 时显示该方案的完整定义。"""
    from .schemes import all_schemes, load_scheme

    if scheme_id:
        scheme = load_scheme(scheme_id)
        if as_json:
            _echo_json(scheme.definition())
            return
        _print_scheme(scheme)
        return
    rows = [s.summary() for s in all_schemes()]
    if as_json:
        _echo_json(rows)
        return
    for row in rows:
        click.echo(f"{row['id']}")
        click.echo(f"  {row['name']}（{row['region']}，{row['issuer']}）")
        click.echo(f"  依据：{row['source']}")
        click.echo(f"  表单：{'、'.join(row['forms'])}")
        click.echo(f"  证明材料：{row['evidence_items']} 项")


def _print_scheme(scheme: Any) -> None:
    click.echo(f"{scheme.name}（{scheme.id}）")
    click.echo(f"发布：{scheme.issuer}；依据：{scheme.source.document}")
    click.echo("\n表单：")
    for form in scheme.forms:
        click.echo(f"  {form.id:36} {form.annex} {form.title}")
    click.echo(f"\n基本条件（{len(scheme.basic_conditions)} 项，一票否决）：")
    for bc in scheme.basic_conditions:
        click.echo(f"  {bc.id:5} {bc.text}")
    top = "未规定" if scheme.scoring.max_total is None else f"{scheme.scoring.max_total:g}"
    click.echo(f"\n评价指标（{len(scheme.indicators)} 项，满分 {top}）：")
    for cat in scheme.categories:
        weight = f"，权重 {cat.weight:.0%}" if cat.weight is not None else ""
        click.echo(f"  {cat.name}：{cat.seed_sum:g} 分{weight}")
    if scheme.bonus:
        click.echo(f"\n加分项：{len(scheme.bonus)} 项")
    click.echo(f"\n证明材料清单（{len(scheme.evidence_list)} 项）：")
    for item in scheme.evidence_list:
        click.echo(f"  {item.no:2}. {item.title}")
    if scheme.thresholds:
        click.echo("\n确认标准：")
        for t in scheme.thresholds:
            click.echo(f"  - {t.name}")


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--scheme", "scheme_id", required=True, help="方案 id（见 dossier schemes）。")
@click.option("--name", help="企业（园区）全称。")
@click.option("--year", "reporting_year", type=int, help="申报年度（默认今年）。")
def init(directory: Path, scheme_id: str, name: str | None, reporting_year: int | None) -> None:
    """新建申报档案目录：带中文注释的 dossier.yaml 和按材料清单分好的 evidence/ 子目录。"""
    from .scaffold import init_dossier
    from .schemes import load_scheme

    target = init_dossier(directory, scheme_id, name=name, reporting_year=reporting_year)
    scheme = load_scheme(scheme_id)
    click.echo(f"已创建 {target}")
    click.echo(f"已创建 {directory / 'evidence'}（{len(scheme.evidence_list)} 个材料子目录）")
    click.echo(f"下一步：填写 dossier.yaml，然后运行 dossier validate {directory}")


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
@json_option
def validate(directory: Path, as_json: bool) -> None:
    """校验 dossier.yaml：格式错误给出行号和字段（退出码 2），并列出尚未填写的字段。"""
    from .completeness import empty_fields
    from .loader import load_dossier

    try:
        loaded = load_dossier(directory)
    except DossierInvalidError as exc:
        if not as_json:
            raise
        scheme_id = _scheme_id_guess(directory)
        _echo_json(
            {
                "scheme": scheme_id,
                "valid": False,
                "errors": [i.to_dict() for i in exc.issues],
                "warnings": [],
                "empty_fields": [],
            }
        )
        sys.exit(exc.exit_code)
    from .evaluation import pending_evaluation
    from .evaluation import summary as pending_summary

    empty = empty_fields(loaded.dossier, loaded.scheme)
    pending = pending_evaluation(loaded)
    if as_json:
        _echo_json(
            {
                "scheme": loaded.scheme.id,
                "valid": True,
                "errors": [],
                "warnings": [w.to_dict() for w in loaded.warnings],
                "empty_fields": [path for path, _ in empty],
                "pending_evaluation": [p.to_dict() for p in pending],
            }
        )
        return
    click.echo(f"{loaded.file}：格式正确（方案 {loaded.scheme.name}，申报年度 {loaded.dossier.reporting_year}）。")
    for warning in loaded.warnings:
        click.echo(f"注意：{warning}")
    if empty:
        click.echo(f"尚未填写 {len(empty)} 项：")
        for path, label in empty:
            click.echo(f"  - {label}（{path}）")
    else:
        click.echo("所有字段均已填写。")
    if pending:
        click.echo(pending_summary(pending) + "（dossier.yaml 的 evaluator 部分，第三方评价报告中留空）")


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
@json_option
@click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False, path_type=Path),
              help="另存为检查清单工作簿（.xlsx，含负责人、完成时间、备注列；重新生成时保留已填写的内容）。")
@click.option("--on", "on", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="检查日期，即计划提交日（证书有效期以此为准）；默认今天。")
def check(directory: Path, as_json: bool, xlsx_path: Path | None, on: dt.datetime | None) -> None:
    """检查证明材料：逐项列出齐全、缺失、过期、即将过期、不完整、待确认、不适用。

    有缺失、过期或不完整的材料（或 dossier.yaml 引用的文件不存在）时退出码为 1。
    """
    from .evidence_check import check_dossier, render_text
    from .loader import load_dossier

    report = check_dossier(load_dossier(directory), on.date() if on else dt.date.today())
    if xlsx_path:
        from .evidence_check_xlsx import write_evidence_check_xlsx

        write_evidence_check_xlsx(report, xlsx_path)
    if as_json:
        _echo_json(report.to_dict())
    else:
        click.echo(display(render_text(report, shutil.get_terminal_size((120, 24)).columns)))
    if xlsx_path:
        click.echo(f"已写入检查清单工作簿 {xlsx_path}", err=as_json)
    sys.exit(report.exit_code)


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
@json_option
@click.option("--scheme-dir", "scheme_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="改用该目录下的方案数据文件（例如补填了浙江园区绿色指数引领值的 checklists 副本）。")
@click.option("--by", "by", type=click.Choice(["self", "evaluator"]), default="self", show_default=True,
              help="按谁的评定计分：self 企业自评；evaluator 第三方评价人的评价（dossier.yaml 的 evaluator 部分）。")
@click.option("--compare", "compare", is_flag=True,
              help="对照自评与第三方评价：列出得分或结论不同的项（两方得分和理由）及两方总分。")
def score(directory: Path, as_json: bool, scheme_dir: Path | None, by: str, compare: bool) -> None:
    """评分：总分与满分、各一级指标、逐项得分及理由、确认标准（门槛）是否达到、能否申报，以及差距清单。

    有数据的指标按档案数据计算得分（如可再生能源占比、节能量），其余按自评得分
    （--by evaluator：按第三方评价人的评价得分）。--compare 对照两方。
    符合申报条件时退出码为 0，不符合或无法判断时为 1（--compare：按第三方评价）。
    """
    from .loader import load_dossier
    from .scoring import render_text as render_score
    from .scoring import score_dossier

    loaded = load_dossier(directory, scheme_dir)
    if compare:
        from .scoring.compare import compare as compare_views
        from .scoring.compare import render_comparison

        comparison = compare_views(loaded)
        _show(comparison, as_json, lambda c: render_comparison(c, shutil.get_terminal_size((100, 24)).columns))
        sys.exit(comparison.evaluator_report.exit_code)
    report = score_dossier(loaded, by=by)
    _show(report, as_json, lambda r: render_score(r, shutil.get_terminal_size((100, 24)).columns))
    sys.exit(report.exit_code)


def _progress(quiet: bool):
    """Progress lines on stderr when it is a terminal (and not --quiet)."""
    if quiet or not sys.stderr.isatty():
        return None
    return lambda message: click.echo(f"… {message}", err=True)


templates_option = click.option(
    "--templates", "templates", type=click.Path(file_okay=False, path_type=Path),
    help="自定义模板目录：其中与表单 id 同名的模板优先于内置模板。")


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--form", "form_ids", multiple=True, metavar="ID", help="只生成该表单（可重复）；默认生成本方案全部表单。")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), help="输出目录（默认 DIR/output）。")
@templates_option
@click.option("--pdf", is_flag=True, help="同时用 LibreOffice 转换为 PDF。")
@click.option("--quiet", is_flag=True, help="不显示进度。")
@json_option
def render(directory: Path, form_ids: tuple[str, ...], out_dir: Path | None, templates: Path | None,
           pdf: bool, quiet: bool, as_json: bool) -> None:
    """按官方附件格式生成本方案的各申报表单（.docx，可用 Word/WPS 编辑；--pdf 同时生成 PDF）。"""
    from .loader import load_dossier
    from .render import render_forms

    rendered = render_forms(load_dossier(directory), form_ids=list(form_ids) or None, out_dir=out_dir,
                            templates=templates, pdf=pdf, progress=_progress(quiet or as_json))
    if as_json:
        _echo_json([r.to_dict() for r in rendered])
    else:
        for r in rendered:
            mark = "（自定义模板）" if r.user_template else ""
            click.echo(f"{r.form.annex} {r.title}{mark}：{r.path}")
            if r.pdf:
                click.echo(f"    PDF：{r.pdf}")
            elif r.pdf_error:
                click.echo(f"    PDF 转换失败：{r.pdf_error}")
            for finding in r.layout:
                click.echo(f"    版面警告：{finding}", err=True)
    if any(r.pdf_error for r in rendered):
        sys.exit(ExitCode.SYSTEM)


@main.command()
@click.argument("directories", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--form", "form_id", required=True, metavar="ID", help="汇总表的表单 id，如 zhejiang-recommendation-summary。")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="输出文件（.xlsx 或 .docx）。")
@templates_option
def summary(directories: tuple[Path, ...], form_id: str, out: Path, templates: Path | None) -> None:
    """把多家企业（园区）的申报材料汇总为一张表（如培育计划汇总表、推荐名单汇总表），每家一行。"""
    from .loader import load_dossier
    from .render import render_summary

    dossiers = [load_dossier(d) for d in directories]
    path = render_summary(dossiers, form_id, out, templates=templates)
    click.echo(f"已写入 {path}（{len(dossiers)} 家）")


@main.command()
@click.argument("directories", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path),
              help="输出目录（默认 DIR/output/package）；给出多个 DIR 时，各材料包在 OUT/<目录名>。")
@click.option("--allow-incomplete", is_flag=True, help="材料不齐时仍生成材料包，缺失项在目录中标注“缺失”（退出码 1）。")
@click.option("--max-size", "max_size", metavar="SIZE", help="材料包大小上限，如 20MB：超过时压缩扫描图片，仍超过则分册。")
@click.option("--on", "on", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="检查证书有效期的日期（默认 dossier.yaml 的计划提交日）。")
@templates_option
@click.option("--workers", type=click.IntRange(min=1), help="同时生成几个（多个 DIR 时；默认每个 CPU 核一个）。")
@click.option("--quiet", is_flag=True, help="不显示进度。")
@json_option
def build(directories: tuple[Path, ...], out: Path | None, allow_incomplete: bool, max_size: str | None,
          on: dt.datetime | None, templates: Path | None, workers: int | None, quiet: bool, as_json: bool) -> None:
    """生成完整的申报材料包：表单 + 证明材料按官方顺序合并为一个 PDF（封面、目录、书签、页码），另附表单 .docx、manifest.json 和 .zip。

    材料不齐时不生成（退出码 1），除非加 --allow-incomplete。

    可一次给出多个 DIR（如 clients/*）：并行生成，显示总进度，逐个列出结果；某一家失败不影响其他各家，退出码取各家中最大的。
    """
    from .render.office import warm_office

    if len(directories) == 1:
        with warm_office():  # LibreOffice starts first, while the rest is imported and read
            _build_one(directories[0], out, allow_incomplete, max_size, on, templates, quiet, as_json)
        return
    from .package import parse_size

    _build_batch(directories, out, allow_incomplete, parse_size(max_size) if max_size else None,
                 on.date() if on else None, templates, workers, quiet, as_json)


def _build_one(directory: Path, out: Path | None, allow_incomplete: bool, max_size: str | None,
               on: dt.datetime | None, templates: Path | None, quiet: bool, as_json: bool) -> None:
    from .loader import load_dossier
    from .package import build_package, parse_size
    from .package.size import human

    report = build_package(
        load_dossier(directory), out=out, allow_incomplete=allow_incomplete,
        max_size=parse_size(max_size) if max_size else None, templates=templates,
        on=on.date() if on else None, progress=_progress(quiet or as_json),
    )
    if as_json:
        _echo_json(report.to_dict())
    else:
        for path in report.packages:
            click.echo(f"材料包：{path}（{human(path.stat().st_size)}）")
        click.echo(f"共 {report.pages} 页，{len(report.sections)} 项材料；表单 {len(report.forms)} 份（.docx）在 {report.out_dir / 'forms'}")
        click.echo(f"压缩包：{report.archive}；清单：{report.manifest}")
        for section in report.missing:
            click.echo(f"缺失：{section.no} {section.title}（{section.label}）")
        for rel, problem in report.left_out:
            click.echo(display(f"未放入：{rel}：{problem}"))
        for warning in report.warnings:
            click.echo(f"注意：{warning}")
        if report.score is not None:
            verdict = "达到申报条件" if report.score.eligible else "未达到申报条件（见 dossier score）"
            total = "—" if report.score.total is None else f"{report.score.total:g}"
            top = "—" if report.score.max is None else f"{report.score.max:g}"
            click.echo(f"自评得分：{total} / {top}，{verdict}")
    sys.exit(report.exit_code)


def _build_batch(directories, out, allow_incomplete, max_size, on, templates, workers, quiet, as_json) -> None:
    """``dossier build DIR DIR…``: one progress bar over the batch, one line per dossier."""
    from .package import build_many

    show = not (quiet or as_json) and sys.stderr.isatty()
    bar = click.progressbar(length=len(directories), label="生成材料包", file=sys.stderr,
                            show_pos=True, item_show_func=lambda d: d) if show else None
    lines: list[str] = []

    def tick(result, done, total) -> None:
        if bar is not None:
            bar.update(1, result.directory.name)

    if bar is not None:
        bar.__enter__()
    try:
        results = build_many(directories, out_root=out, workers=workers, progress=tick,
                             allow_incomplete=allow_incomplete, max_size=max_size, templates=templates, on=on)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    if as_json:
        _echo_json([r.to_dict() for r in results])
    else:
        for r in results:
            if r.error:
                first, *rest = r.error.splitlines()
                lines.append(f"✗ {r.directory}：{first}")
                lines += [f"    {line.strip()}" for line in rest]
            else:
                state = "材料齐全" if r.exit_code == 0 else "有缺失或未达申报条件（退出码 1）"
                lines.append(f"✓ {r.directory}：{r.pages} 页，{r.seconds:.1f} 秒，{state}")
                lines += [f"    {p}" for p in r.packages]
        for line in lines:
            click.echo(line)
        built = sum(1 for r in results if r.ok)
        click.echo(f"共 {len(results)} 份档案：生成 {built} 份，失败 {len(results) - built} 份。")
    sys.exit(max(r.exit_code for r in results))


@main.group()
def workbook() -> None:
    """数据填报工作簿：导出给填数据的人（Excel/WPS）填写，再导入回 dossier.yaml。"""


@workbook.command("export")
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path),
              help="输出文件（.xlsx；默认 DIR/<企业名称>-数据填报.xlsx）。")
@click.option("--on", "on", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="“证明材料”表的检查日（默认 dossier.yaml 的计划提交日）。")
@click.option("--force", is_flag=True, help="覆盖已存在、且含有尚未导入内容的工作簿。")
def workbook_export(directory: Path, out: Path | None, on: dt.datetime | None, force: bool) -> None:
    """导出数据填报工作簿：基本信息、年度数据、能源消费、自评、减排项目与抵消、证明材料，带下拉列表和数据校验。

    已存在的工作簿中若有尚未导入的内容，不会被覆盖（除非加 --force）。
    """
    from .workbook import export_workbook

    result = export_workbook(directory, out, on.date() if on else None, force=force)
    click.echo(f"已写入 {result.path}")
    for name, rows in result.sheets:
        click.echo(f"  {name}：{rows} 行")
    click.echo(f"填写后运行 dossier workbook import {directory} {result.path} 导入（可先加 --dry-run 查看修改）")


@workbook.command("import")
@click.argument("directory", type=click.Path(path_type=Path))
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="只列出将要做的修改，不写入 dossier.yaml。")
@json_option
def workbook_import(directory: Path, file: Path, dry_run: bool, as_json: bool) -> None:
    """把填好的工作簿导入 dossier.yaml：逐项列出修改（含原值），备份原文件后写入。

    无法读取的单元格按“工作表!单元格”列出，对应字段保持原值，退出码为 2。
    """
    from .workbook import import_workbook, render_report

    report = import_workbook(directory, file, dry_run=dry_run)
    _show(report, as_json, render_report)
    sys.exit(report.exit_code)


@main.command(short_help="从以往的证照和报告（PDF、扫描件、图片、.docx）中提取数据，可填入 dossier.yaml。")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@json_option
@click.option("--apply", "apply_dir", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="把结果填入 DIR/dossier.yaml 中尚未填写的字段：已有不同的值不覆盖，逐项列为冲突；原文件备份为 dossier.yaml.bak-时间。")
@click.option("--ocr", "ocr_engine", type=click.Choice(["rapidocr", "tesseract"]),
              help="扫描件使用的 OCR 引擎（默认 rapidocr，未安装时用 tesseract）。")
@click.option("--find", "find_name", metavar="NAME",
              help="在名单（绿色工厂、绿色园区、绿色供应链等名单表格）中查找企业：先精确匹配，再忽略括号、空格和“有限公司/股份有限公司”写法差异。")
@click.option("--quiet", is_flag=True, help="不显示进度。")
def extract(paths: tuple[Path, ...], as_json: bool, apply_dir: Path | None, ocr_engine: str | None, quiet: bool,
            find_name: str | None = None) -> None:
    """从以往的证照和报告中提取数据：营业执照、管理体系证书、绿色工厂名单、温室气体核查报告/声明、产品碳足迹报告/证书、能源审计/能效对标报告、以往填报的表格。

    PATH 可以是 PDF（文字版或扫描件）、图片、.docx 或目录。每个字段注明文件、页码、原文和置信度。
    退出码：有文件无法读取为 2，--apply 有冲突为 1，缺少 OCR 引擎为 3。

    \b
    --json 输出：
    [{"file", "doc_type", "pages", "ocr", "errors",
      "fields": {名称: {"value", "page", "text", "confidence", "note"?}}, "rows"?}]
    （note：数值经校验修正时的说明；rows：名单表格读出的行数。）
    """
    from .extract import apply_to_dossier
    from .extract import extract as run_extract
    from .extract.report import exit_code, render_apply, render_documents

    documents = run_extract(list(paths), engine=ocr_engine, progress=_progress(quiet))
    if find_name is not None:
        from .extract.report import find_in_lists

        text, code = find_in_lists(documents, find_name, as_json)
        click.echo(text)
        sys.exit(code)
    report = apply_to_dossier(documents, apply_dir) if apply_dir else None
    if as_json:
        _echo_json([d.to_dict() for d in documents])
    else:
        click.echo(render_documents(documents))
    if report is not None:
        click.echo(("\n" if not as_json else "") + render_apply(report), err=as_json)
    sys.exit(exit_code(documents, report))


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--year", "year", type=int, required=True, help="新的申报年度（须晚于原档案的申报年度）。")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path),
              help="新档案目录（默认：原目录旁的“原目录名-年度”）；已存在且不为空时不写入。")
@click.option("--link", is_flag=True,
              help="证明材料用硬链接代替复制（节省空间；但在新目录中原地改写文件会同时改动原档案的文件）。")
@json_option
def rollover(directory: Path, year: int, out: Path | None, link: bool, as_json: bool) -> None:
    """生成下一申报年度的档案：近三年后移，新年度数据待填，沿用的文字标记复核，检查材料年份和证书有效期；原目录不做任何修改。"""
    from .rollover import render_text as render_rollover
    from .rollover import roll_over

    report = roll_over(directory, year, out, link=link)
    _show(report, as_json, render_rollover)


@main.command(short_help="对比两个年度的档案：年度数据、计算指标、自评和得分的变化。")
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option("--all", "everything", is_flag=True, help="也列出没有变化的指标。")
@json_option
def diff(old: Path, new: Path, everything: bool, as_json: bool) -> None:
    """对比两个年度的档案：各项年度数据和计算指标（综合能耗、排放、强度、占比）的变化，动态管理表“持续改进情况”的各行，同一年度数据的修订，自评和得分的变化。"""
    from .diff import diff_dossiers, render_diff

    report = diff_dossiers(old, new)
    _show(report, as_json, lambda r: render_diff(r, shutil.get_terminal_size((110, 24)).columns, everything=everything))


@main.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--scheme", "scheme_id", required=True, help="方案 id（见 dossier schemes）。")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path), help="新档案目录。")
@click.option("--year", "year", type=int, help="申报年度（默认按表单的年度列或标题推断）。")
@json_option
def import_(files: tuple[Path, ...], scheme_id: str, out: Path, year: int | None, as_json: bool) -> None:
    """从本工具以往生成的表单（.docx、.xlsx）读回档案：按表单中的表格填入 dossier.yaml，供 dossier rollover 继续使用。

    有无法读取的单元格时仍写入其余内容，退出码为 2。
    """
    from .formimport import import_forms, render_import

    report = import_forms(list(files), scheme_id, out, year=year)
    _show(report, as_json, render_import)
    sys.exit(report.exit_code)


@main.command(short_help="启动网页工作台：在浏览器中完成建档、填报、上传材料、评分和生成材料包。")
@click.argument("workspace", required=False, default=".", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址（默认只允许本机访问）。")
@click.option("--port", default=8765, show_default=True, type=int, help="端口。")
@click.option("--max-upload", "max_upload", default="200MB", show_default=True, metavar="SIZE", help="单个上传文件的大小上限。")
def serve(workspace: Path, host: str, port: int, max_upload: str) -> None:
    """启动网页工作台。WORKSPACE 是存放各档案目录的文件夹（每个子目录一份档案），默认当前目录。

    浏览器中的修改就是对 dossier.yaml 的修改（保留注释、备份原文件），与命令行操作同一批文件。
    """
    import uvicorn

    from .package import parse_size
    from .web import create_app

    app = create_app(workspace, max_upload=parse_size(max_upload), host=host)
    app.state.status.warm()
    click.echo(f"网页工作台：http://{host}:{port}/ （工作目录 {workspace.resolve()}；按 Ctrl+C 停止）")
    if app.state.access_mode.value == "local":
        click.echo("本机单用户模式（工作区没有账户；其他电脑无法访问）。多人使用见 dossier users add。")
    else:
        click.echo("账户模式：需要登录（账户见 dossier users list）。")
    # Behind a reverse proxy on this machine: the client's address (login lock-out) and
    # https (Secure cookies) come from its X-Forwarded-For / X-Forwarded-Proto — trusted
    # from 127.0.0.1 only.
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=True, forwarded_allow_ips="127.0.0.1")


@main.group()
def office() -> None:
    """共享的 LibreOffice：启动一次，之后的 build、render --pdf 等命令直接使用，省去每次 1–4 秒的启动。

    一次只有一个命令使用它（同时运行的其他命令各自启动 LibreOffice）；闲置超过 --idle 分钟后自动退出。
    """


@office.command("start")
@click.option("--idle", type=click.FloatRange(min=1), default=30, show_default=True, help="闲置多少分钟后自动退出。")
def office_start(idle: float) -> None:
    """启动共享的 LibreOffice（已在运行时不重复启动）。"""
    from .render import officed

    state = officed.start(idle=idle * 60)
    click.echo(f"共享的 LibreOffice 已就绪（进程 {state['soffice_pid']}，闲置 {state['idle'] / 60:g} 分钟后退出；"
               "dossier office stop 可随时停止）。")


@office.command("stop")
def office_stop() -> None:
    """停止共享的 LibreOffice。"""
    from .render import officed

    click.echo("已停止共享的 LibreOffice。" if officed.stop() else "没有正在运行的共享 LibreOffice。")


@office.command("status")
def office_status() -> None:
    """显示共享的 LibreOffice 是否在运行（未运行时退出码 1）。"""
    from .render import officed

    state = officed.status()
    if state is None:
        click.echo("没有正在运行的共享 LibreOffice（各命令自行启动 LibreOffice）。")
        sys.exit(1)
    since = dt.datetime.fromtimestamp(state["started"]).strftime("%Y-%m-%d %H:%M")
    click.echo(f"共享的 LibreOffice 正在运行：进程 {state['soffice_pid']}，{since} 启动，闲置 {state['idle'] / 60:g} 分钟后退出。")


# dossier users …: accounts of a served workspace, imported only when it runs (see DossierGroup)
LAZY_COMMANDS = {"users": ("dossier.access.cli", "users")}


def _scheme_id_guess(directory: Path) -> str | None:
    """The scheme named in a dossier that failed to validate, for the JSON report."""
    from .loader import dossier_file
    from .yamlread import read_yaml

    try:
        data = read_yaml(dossier_file(directory)).data
        return str(data.get("scheme")) if isinstance(data, dict) and data.get("scheme") else None
    except DossierError:
        return None


if __name__ == "__main__":  # pragma: no cover
    main()
