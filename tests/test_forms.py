"""Every form of every scheme found in checklists/, rendered from its bundled example and
read back as a reviewer would: one parametrised suite, no list of schemes or forms here.

For each form:
- its template exists, uses only the declared context names, and stays a valid Word
  document; regenerating it (``python -m form_templates.build``) gives the committed XML;
- the rendered form has every label of its seed annex (tests/data/forms/<form-id>.txt),
  in the seed's order, and no leftover tag or "None";
- its PDF shows those labels and the enterprise's name, and passes the layout check
  (page numbers, no near-empty page, headers repeated, no stray fragments, no overflow);
- every figure it prints under a label the engine computes (总分, 评价指标得分, 加分项得分,
  a row's 得分, the 确认标准's emissions and ratios) is the engine's value.

The expected figures come from ``score_dossier`` (the engine), never from the forms'
formatters: a printed figure is parsed back to a number and compared.
"""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER

from dossier.loader import load_dossier
from dossier.render import CONTEXT_DOC, render_forms
from dossier.render.docx_form import template_names
from dossier.render.environment import FILTERS
from dossier.render.forms import to_pdf
from dossier.render.templates import find_template
from dossier.render.toc import fill_contents
from dossier.render.xlsx_form import names_used
from dossier.resources import templates_dir
from dossier.schemes import all_schemes
from dossier.scoring import score_dossier

from .conftest import SCHEME_FACTS
from .forms_support import (
    EXAMPLES, FORM_LABELS, ROOT, docx_fulltext, labels_file, leftovers, missing_labels, squash, xlsx_fulltext,
)

SCHEMES = sorted(all_schemes(), key=lambda s: s.id)

FORMS = list({f.id: (s.id, f.id) for s in SCHEMES for f in s.forms}.values())  # a shared table once


def _ids(pairs):
    return [f for _, f in pairs]


@pytest.fixture(scope="session")
def examples():
    return {s.id: load_dossier(EXAMPLES / s.id) for s in SCHEMES}


@pytest.fixture(scope="session")
def rendered(examples, tmp_path_factory):
    """Every form of every example, rendered once; the single-dossier forms converted to
    PDF in one LibreOffice batch (with the layout check of ``render --pdf``)."""
    out = tmp_path_factory.mktemp("forms")
    forms = {}
    for scheme_id, loaded in examples.items():
        for r in render_forms(loaded, out_dir=out / scheme_id):
            forms[r.form.id] = r  # a table shared by two schemes: the last example's
    to_pdf(list(forms.values()))
    return forms


def _path(rendered, form_id: str) -> Path:
    return rendered[form_id].path


# --- templates -----------------------------------------------------------------------------


@pytest.mark.parametrize(("scheme_id", "form_id"), FORMS, ids=_ids(FORMS))
def test_template_uses_only_declared_names(scheme_id, form_id):
    form = next(s for s in SCHEMES if s.id == scheme_id).form(form_id)
    template = find_template(form)
    assert template.path.parent == templates_dir()
    used = template_names(template) if template.path.suffix == ".docx" else names_used(template.path) - {"n"}
    undeclared = used - set(CONTEXT_DOC) - set(FILTERS)
    assert not undeclared, f"{template.path.name} uses names the context does not declare: {sorted(undeclared)}"


def test_recorded_names_of_the_bundled_templates_are_those_they_use():
    """names.json (written by ``python -m form_templates.build``) spares a build the parse of
    a bundled template: each entry must hold the template's sha256 and the very names the
    sandboxed parse finds; a template changed without its record is parsed (slower, right)."""
    import hashlib
    import json

    from dossier.render.docx_form import _names
    from dossier.render.sandbox import run_isolated

    record = json.loads((templates_dir() / "names.json").read_text(encoding="utf-8"))
    docx = sorted(p for p in templates_dir().glob("*.docx"))
    assert sorted(record) == [p.name for p in docx]
    for path in docx:
        assert record[path.name]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest(), \
            f"{path.name} changed: run python -m form_templates.build"
        assert set(record[path.name]["names"]) == run_isolated(_names, (path,), name=path.name), path.name


def test_a_template_whose_bytes_are_not_recorded_is_parsed(tmp_path):
    """A user's copy of a bundled template, one tag added: its own names, not the record's."""
    import zipfile

    from dossier.render.templates import TemplateFile

    form = next(s for s in SCHEMES if s.id == "jiangsu-zero-carbon-factory").form("jiangsu-intake-form")
    bundled = find_template(form)
    mine = tmp_path / bundled.path.name
    with zipfile.ZipFile(bundled.path) as src, zipfile.ZipFile(mine, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(b"</w:body>", b"<w:p><w:r><w:t>{{ Y }}</w:t></w:r></w:p></w:body>")
            dst.writestr(item, data)
    assert template_names(TemplateFile(form, mine, True)) == template_names(bundled) | {"Y"}


@pytest.mark.parametrize("name", sorted(p.name for p in templates_dir().glob("*.docx")))
def test_template_stays_a_valid_word_document(name):
    """Tags live in text, never in XML attributes (Word refuses w:val="{% if … %}" as corrupt)."""
    with zipfile.ZipFile(templates_dir() / name) as zf:
        for part in zf.namelist():
            if part.endswith(".xml"):
                xml = zf.read(part).decode("utf-8")
                assert not re.search(r'="[^"]*(\{\{|\{%)', xml), f"{name} {part}: a jinja tag in an attribute"


def test_regenerated_templates_equal_the_committed_ones(tmp_path):
    """``python -m form_templates.build`` runs, and writes the document.xml that is committed."""
    committed = {p.name: p for p in templates_dir().glob("*.docx")}
    proc = subprocess.run([sys.executable, "-c", (
        "import sys; sys.path.insert(0, sys.argv[1]); from pathlib import Path; "
        "import form_templates.build.kit as kit; kit.TEMPLATES = Path(sys.argv[2]); "
        "from form_templates.build.__main__ import main; main([])"), str(ROOT), str(tmp_path)],
        capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-2000:]
    built = {p.name: p for p in tmp_path.glob("*.docx")}
    assert sorted(built) == sorted(committed)
    for name, path in built.items():
        with zipfile.ZipFile(path) as new, zipfile.ZipFile(committed[name]) as old:
            assert new.read("word/document.xml") == old.read("word/document.xml"), \
                f"{name}: the committed template differs from its generator's output (regenerate it)"


# --- rendered forms: labels, leftovers ------------------------------------------------------


def _in_order(text: str, labels: list[str]) -> list[str]:
    """Labels found only out of order (each searched after the previous one)."""
    pos, late = 0, []
    for label in labels:
        at = text.find(squash(label), pos)
        if at < 0:
            late.append(label)
        else:
            pos = at + len(squash(label))
    return late


@pytest.mark.parametrize(("scheme_id", "form_id"), FORMS, ids=_ids(FORMS))
def test_every_label_of_the_seed_annex_is_there_in_order(rendered, scheme_id, form_id):
    path = _path(rendered, form_id)
    labels = labels_file(form_id)
    assert labels, f"tests/data/forms/{form_id}.txt lists no label"
    assert not missing_labels(path, labels)
    text = squash(docx_fulltext(path) if path.suffix == ".docx" else xlsx_fulltext(path))
    # in the seed's order (unless the labels file says "#unordered": rows listed as the
    # scheme has them); figures listed as labels (a weight "15%") are data, not order
    if "#unordered" in (FORM_LABELS / f"{form_id}.txt").read_text(encoding="utf-8"):
        return
    assert not _in_order(text, [label for label in labels if not re.fullmatch(r"[\d.]+%?", squash(label))])


@pytest.mark.parametrize(("scheme_id", "form_id"), FORMS, ids=_ids(FORMS))
def test_no_none_and_no_leftover_tags(rendered, scheme_id, form_id):
    assert not leftovers(_path(rendered, form_id))


def _hints(form_id: str, kinds: tuple[str, ...] = ("#hint ", "#hint-list ")) -> list[str]:
    """The blank template's writing hints of a form (lines ``#hint …`` of its labels file:
    an instruction printed while its section has no text; ``#hint-list …``: a placeholder
    printed while a list of the dossier is empty)."""
    path = FORM_LABELS / f"{form_id}.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.split(" ", 1)[1].strip() for line in lines if line.startswith(kinds)]


@pytest.mark.parametrize(("scheme_id", "form_id"), FORMS, ids=_ids(FORMS))
def test_a_filled_form_shows_text_not_the_blank_templates_hints(rendered, scheme_id, form_id):
    path = _path(rendered, form_id)
    text = squash(docx_fulltext(path) if path.suffix == ".docx" else xlsx_fulltext(path))
    assert [h for h in _hints(form_id) if len(squash(h)) > 8 and squash(h) in text] == []


HINTED = [pair for pair in FORMS if _hints(pair[1], ("#hint ",))]


@pytest.mark.parametrize(("scheme_id", "form_id"), HINTED, ids=_ids(HINTED))
def test_a_section_left_empty_shows_the_blank_templates_hint(tmp_path, scheme_id, form_id):
    """The other side of the test above: with no text written, the form prints the seed's
    instruction for the section (a blank form stays usable as the official one)."""
    loaded = load_dossier(EXAMPLES / scheme_id)
    loaded.dossier.narratives.clear()
    if loaded.dossier.evaluator is not None:
        loaded.dossier.evaluator.conclusion = None
    [r] = render_forms(loaded, form_ids=[form_id], out_dir=tmp_path)
    text = squash(docx_fulltext(r.path))
    assert [h for h in _hints(form_id, ("#hint ",)) if squash(h) not in text] == []


# --- the PDF: labels, name, layout ----------------------------------------------------------


def _pdf_text(pdf: Path) -> str:
    # -raw keeps a cell's lines together ("企业法人代表" / "及联系电话" beside the next cell).
    return subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize(("scheme_id", "form_id"), FORMS, ids=_ids(FORMS))
def test_pdf_shows_the_labels_and_the_check_boxes(rendered, scheme_id, form_id):
    r = rendered[form_id]
    assert r.pdf is not None, r.pdf_error
    text = squash(_pdf_text(r.pdf))
    assert not [label for label in labels_file(form_id) if squash(label) not in text]
    docx_text = docx_fulltext(r.path) if r.path.suffix == ".docx" else xlsx_fulltext(r.path)
    for glyph in "☑□":  # the check-box glyphs have a font
        if glyph in docx_text:
            assert glyph in text
    assert not list(r.path.parent.glob(".~lock.*"))  # LibreOffice left no lock file behind


@pytest.mark.parametrize(("scheme_id", "form_id"), FORMS, ids=_ids(FORMS))
def test_pdf_and_file_name_name_the_enterprise(rendered, examples, scheme_id, form_id):
    r = rendered[form_id]
    name = examples[r.path.parent.name].dossier.subject.name
    docx_text = docx_fulltext(r.path) if r.path.suffix == ".docx" else xlsx_fulltext(r.path)
    if squash(name) in squash(docx_text):  # a form that prints the name shows it in the PDF too
        assert squash(name) in squash(_pdf_text(r.pdf))
    assert r.path.name.startswith(f"{name} {r.form.annex}")  # 电子版以企业全称命名


@pytest.mark.parametrize(("scheme_id", "form_id"), FORMS, ids=_ids(FORMS))
def test_printed_layout_passes_the_check(rendered, scheme_id, form_id):
    r = rendered[form_id]
    assert r.pdf is not None, r.pdf_error
    assert r.layout == []


def _docx_contents(path: Path) -> list[tuple[str, str, object]]:
    """The 目录 of a .docx as Word shows it: (heading, page, paragraph style) per entry."""
    doc = Document(str(path))
    return [(p.text.rsplit("\t", 1)[0], p.text.rsplit("\t", 1)[1], p.style) for p in doc.paragraphs
            if p.style.name.startswith("toc ") and "\t" in p.text]


def test_the_docx_contents_show_the_pdfs_page_numbers_after_dot_leaders(rendered):
    """Every form with a 目录: each entry's page number in the .docx (read with python-docx)
    is the number printed at the foot of the PDF page where that heading is; the number
    sits at the right margin after a dot leader, in the .docx and in the PDF."""
    with_contents = [r for r in rendered.values() if r.path.suffix == ".docx" and _docx_contents(r.path)]
    assert [r.form.id for r in with_contents] == ["jiangsu-application"]
    for r in with_contents:
        entries = _docx_contents(r.path)
        assert len(entries) == 7, entries  # 基本信息表, 自评价报告 and its four parts, 附件
        pages = subprocess.run(["pdftotext", "-layout", str(r.pdf), "-"], capture_output=True, text=True,
                               check=True).stdout.split("\f")
        contents_page = next(i for i, page in enumerate(pages)  # (填报说明 also says 目录)
                             if "目录" in squash(page) and squash(entries[0][0]) in squash(page))
        for heading, number, style in entries:
            at = next(i for i, page in enumerate(pages) if i > contents_page and squash(heading) in squash(page))
            footer = re.findall(r"—\s*(\d+)\s*—", pages[at])
            assert footer and footer[-1] == number, f"{heading}: 目录 says {number}, the PDF prints it on {footer}"
            tab = style.paragraph_format.tab_stops[0]
            assert (tab.alignment, tab.leader) == (WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS), heading
        printed = [line for line in pages[contents_page].splitlines() if line.strip()]
        leaders = [line for line in printed if re.search(r"\.{6,}\s*\d+\s*$", line)]
        assert len(leaders) == len(entries), printed  # the long entry wraps; its number keeps its dots
        assert "更新目录" not in squash(docx_fulltext(r.path))  # no placeholder left


def _word_saved_contents(path: Path) -> None:
    """A 目录 as Word saves it: the TOC field's result over several paragraphs, each entry
    with a nested PAGEREF field, and a paragraph of text after it."""
    from docx.oxml import parse_xml

    doc = Document()
    doc.add_paragraph("目录")
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

    def field(kind):
        return f'<w:r><w:fldChar w:fldCharType="{kind}"/></w:r>'

    first = (f'<w:p {w}>{field("begin")}<w:r><w:instrText xml:space="preserve"> TOC \\o "1-2" \\h </w:instrText></w:r>'
             f'{field("separate")}<w:r><w:t>旧标题一</w:t></w:r><w:r><w:tab/></w:r>{field("begin")}'
             f'<w:r><w:instrText> PAGEREF _Toc1 \\h </w:instrText></w:r>{field("separate")}<w:r><w:t>9</w:t></w:r>'
             f'{field("end")}</w:p>')
    last = f'<w:p {w}><w:r><w:t>旧标题二</w:t></w:r><w:r><w:tab/></w:r><w:r><w:t>12</w:t></w:r>{field("end")}</w:p>'
    body = doc.element.body
    for xml in (first, last):
        body.insert(len(body) - 1, parse_xml(xml))
    doc.add_paragraph("正文开始")
    doc.save(str(path))


def test_a_word_saved_contents_is_replaced_whole(tmp_path):
    path = tmp_path / "申报书.docx"
    _word_saved_contents(path)
    assert fill_contents(path, [(1, "一、基本信息表", "1"), (2, "一、企业基本情况", "2")])
    doc = Document(str(path))
    texts = [p.text for p in doc.paragraphs]
    assert texts == ["目录", "一、基本信息表\t1", "一、企业基本情况\t2", "正文开始"]
    xml = doc.element.body.xml
    assert xml.count('w:fldCharType="begin"') == xml.count('w:fldCharType="end"') == 1  # one TOC field, closed
    assert "旧标题" not in xml and "PAGEREF" not in xml and " TOC " in xml
    assert not fill_contents(path, [])  # nothing to write: the file is left as it is


# --- one figure, one computation ------------------------------------------------------------

NUMBER = r"(-?\d[\d,]*(?:\.\d+)?)"


def _number(text: str) -> float | None:
    m = re.search(NUMBER, text or "")
    return float(m.group(1).replace(",", "")) if m else None


def _close(printed: float | None, value: float | None, text: str) -> bool:
    """The printed figure is the engine's value as rounded to the digits it shows."""
    if value is None:
        return printed is None
    if printed is None:
        return False
    m = re.search(NUMBER, text)
    digits = len(m.group(1).split(".")[1]) if m and "." in m.group(1) else 0
    return abs(printed - value) <= 0.5 * 10 ** -digits + 1e-9


# label of a cell → the engine figure printed in the cell right of it
LABELLED = {
    "评价指标得分": lambda s: [s.indicator_total],
    "指标得分（Σ一级指标得分×权重）": lambda s: [s.indicator_total],
    "加分项得分": lambda s: [s.bonus_total],
    "加分合计": lambda s: [s.bonus_total],
    "总分": lambda s: [s.total, s.indicator_total],  # the result table's 总分, or the indicator table's own
    "得分（指标得分＋加分）": lambda s: [s.total],
    "指标得分": lambda s: [s.total],
    "合计": lambda s: [None],  # checked with its row below (分值 then 得分)
}
# a sentence of a form → the engine figure it prints
SENTENCES = [
    (r"类别1和类别2排放量" + NUMBER + r"\s*tCO2e", lambda s: _threshold(s, "offset_coverage", "emitted")),
    (r"碳抵消量" + NUMBER + r"\s*tCO2e", lambda s: _threshold(s, "offset_coverage", "offsets")),
    (r"抵消比例" + NUMBER + "%", lambda s: _threshold(s, "offset_coverage", "ratio_pct")),
    (r"温室气体减排量" + NUMBER + r"\s*tCO2e", lambda s: _threshold(s, "own_reduction_ratio", "reduction")),
    (r"自主减排比例" + NUMBER + "%", lambda s: _threshold(s, "own_reduction_ratio", "ratio_pct")),
    (r"^评价得分" + NUMBER + "分", lambda s: s.total),
]


def _threshold(score, metric: str, key: str):
    for t in score.thresholds:
        if t.metric == metric and key in t.figures:
            return t.figures[key]
    return None


def _engine_figures_in(path: Path, score) -> tuple[int, list[str]]:
    """How many labelled figures the form prints, and those that differ from the engine."""
    doc = Document(str(path))
    checked, wrong = 0, []
    for table in doc.tables:
        rows = [[c.text.strip() for c in row.cells] for row in table.rows]
        header = [squash(c) for c in rows[0]] if rows else []
        for row in rows:
            seen = set()
            for i, cell in enumerate(row):
                label = squash(cell)
                if label in seen or label not in LABELLED or label == "合计":
                    continue
                seen.add(label)
                rest = [c for c in row[i + 1:] if squash(c) != label and c.strip()]
                right = rest[-1] if rest else None  # years then the total: the last figure is the total
                if right is None or _number(right) is None and not right:
                    continue  # a header cell, or a blank result (reported by the layout of the form)
                checked += 1
                if not any(_close(_number(right), v, right) for v in LABELLED[label](score)):
                    wrong.append(f"{label} = {right!r}, engine {LABELLED[label](score)}")
        # a row table with 序号 … 得分: each row's 得分 is the engine's points of that row
        if "得分" in header and "分值" in header and header[0] == "序号":
            col = header.index("得分")
            numbered = [r for r in rows[1:] if r[0].isdigit()]
            items = _items_for(score, len(numbered), path)
            if items is None:
                continue
            for r, item in zip(numbered, items):
                printed = r[col]
                checked += 1
                if item.points is None:
                    if squash(printed) not in ("", "不适用"):
                        wrong.append(f"序号{r[0]} 得分 {printed!r}, engine 不计分")
                elif not _close(_number(printed), item.points, printed):
                    wrong.append(f"序号{r[0]} 得分 {printed!r}, engine {item.points}")
    for paragraph in _all_paragraphs(doc):
        for pattern, value in SENTENCES:
            for m in re.finditer(pattern, paragraph):
                checked += 1
                figure = value(score)
                if not _close(float(m.group(1).replace(",", "")), figure, m.group(1)):
                    wrong.append(f"“{m.group(0)}”, engine {figure}")
    return checked, wrong


def _all_paragraphs(doc) -> list[str]:
    out = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                out.extend(p.text for p in cell.paragraphs)
    return out


def _items_for(score, count: int, path: Path):
    """The engine's rows a numbered table of ``count`` rows lists: the indicators or the bonus."""
    indicators = [i for i in score.items if i.kind == "indicator"]
    bonus = [i for i in score.items if i.kind == "bonus"]
    if count == len(indicators):
        return indicators
    if count == len(bonus):
        return bonus
    return None


@pytest.mark.parametrize(("scheme_id", "form_id"), FORMS, ids=_ids(FORMS))
def test_every_printed_figure_is_the_engines(rendered, examples, scheme_id, form_id):
    path = _path(rendered, form_id)
    if path.suffix != ".docx":
        return  # a spreadsheet summary: one row of the dossier's own figures, no engine figure
    form = rendered[form_id].form
    # the evaluator's report prints the evaluator's scores (score --by evaluator)
    score = score_dossier(examples[path.parent.name], by="evaluator" if form.author == "evaluator" else "self")
    checked, wrong = _engine_figures_in(path, score)
    assert not wrong, wrong


def test_the_figure_check_sees_the_confirmation_table(rendered, examples):
    """The Jiangsu 确认标准 row prints the engine's 15 744.0 tCO2e and 100.7 %, not a second
    computation (13 934.9 / 113.8 % on the verified factor); and the check catches a wrong figure."""
    jiangsu = [s for s in SCHEMES if any(t.metric == "offset_coverage" for t in s.thresholds)]
    for scheme in jiangsu:
        form = next(f for f in scheme.forms if find_template(f).path.suffix == ".docx"
                    and "x.criteria" in (zipfile.ZipFile(find_template(f).path).read("word/document.xml").decode()))
        path = _path(rendered, form.id)
        score = score_dossier(examples[scheme.id])
        checked, wrong = _engine_figures_in(path, score)
        assert checked >= 6 and not wrong
        emitted = _threshold(score, "offset_coverage", "emitted")
        assert emitted is not None and f"{emitted:.1f}" in docx_fulltext(path)
        # a form printing another figure is caught
        doc = Document(str(path))
        for p in _all_paragraphs_runs(doc):
            if "类别1和类别2排放量" in p.text:
                for run in p.runs:
                    run.text = re.sub(r"排放量[\d.]+", "排放量13934.9", run.text)
        broken = path.with_name("broken.docx")
        doc.save(str(broken))
        assert _engine_figures_in(broken, score)[1]


def _all_paragraphs_runs(doc):
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


# --- structure: 不适用, weighted totals, ticked boxes -----------------------------------------

SUMMARY_HEADER = ["一级指标", "各行得分合计", "不适用折算或上限", "一级指标得分", "权重", "加权得分"]


def _tables(path: Path) -> list[list[list[str]]]:
    return [[[c.text.strip() for c in row.cells] for row in t.rows] for t in Document(str(path)).tables]


def _row_tables(path: Path) -> list[tuple[list[str], list[list[str]]]]:
    """Tables listing rows with a 得分 column: (squashed header, numbered rows)."""
    out = []
    for rows in _tables(path):
        header = [squash(c) for c in rows[0]] if rows else []
        if header and header[0] == "序号" and "得分" in header:
            out.append((header, [r for r in rows[1:] if r[0].isdigit()]))
    return out


@pytest.mark.parametrize(("scheme_id", "form_id"), FORMS, ids=_ids(FORMS))
def test_a_row_marked_不适用_prints_不适用_in_its_score(rendered, examples, scheme_id, form_id):
    """Every row table with a 得分 column: 不适用 exactly on the rows the dossier (or, in a
    report the evaluator signs, the evaluator) marks 不适用; the examples' 不适用 rows are
    listed by hand in tests/data/schemes.yaml."""
    path = _path(rendered, form_id)
    if path.suffix != ".docx":
        return
    form = rendered[form_id].form
    score = score_dossier(examples[path.parent.name], by="evaluator" if form.author == "evaluator" else "self")
    not_applicable = {i.id for i in score.items if i.kind in ("indicator", "bonus") and not i.applicable}
    if form.author != "evaluator":
        assert sorted(not_applicable) == sorted(SCHEME_FACTS[scheme_id].get("not_applicable", []))
    for header, rows in _row_tables(path):
        items = _items_for(score, len(rows), path)
        if items is None:
            continue
        col = header.index("得分")
        printed = {item.id for row, item in zip(rows, items) if squash(row[col]) == "不适用"}
        assert printed == {item.id for item in items if item.id in not_applicable}, header


def _summary(path: Path) -> list[list[str]] | None:
    for rows in _tables(path):
        if rows and [squash(c) for c in rows[0]] == SUMMARY_HEADER:
            return rows
    return None


def _numbers(text: str) -> list[float]:
    return [float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", text)]


@pytest.mark.parametrize(("scheme_id", "form_id"), FORMS, ids=_ids(FORMS))
def test_a_weighted_total_is_rebuilt_from_the_printed_cells(rendered, scheme_id, form_id):
    """A form whose row table has a 权重 column ends with the category summary: per 一级指标
    the printed rows' 得分 add up to 各行得分合计; a rescaled category shows its formula
    (69 × 106 ÷ 82 = 89.2), whose figures rebuild 一级指标得分; × 权重 = 加权得分; and the
    加权得分 add up to the printed total. Only printed cells are used."""
    path = _path(rendered, form_id)
    if path.suffix != ".docx":
        return
    weighted = [rows for rows in _tables(path)  # an indicator table with weights (with or without 得分)
                if rows and squash(rows[0][0]) == "序号" and {"一级指标", "权重"} <= {squash(c) for c in rows[0]}
                and len(rows) > 20]
    summary = _summary(path)
    if not weighted:
        assert summary is None
        return
    assert summary is not None, "a weighted table without its category summary"
    # the tool's table is marked as such
    assert "不属于官方表格" in squash(docx_fulltext(path))
    # the row table with 一级指标 and 得分 (Zhengzhou: the tool's table after the official one)
    head, source = next((h, r) for h, r in _row_tables(path) if "一级指标" in h and "得分" in h and len(r) > 20)
    cat_col, score_col = head.index("一级指标"), head.index("得分")
    sums: dict[str, float] = {}
    for row in source:
        if squash(row[score_col]) != "不适用":
            sums[squash(row[cat_col])] = sums.get(squash(row[cat_col]), 0.0) + (_number(row[score_col]) or 0.0)
    total = 0.0
    for name, earned, note, cat_score, weight, weighted_score in summary[1:]:
        if name == earned:
            break  # the totals rows (label merged over five columns)
        assert abs(sums[squash(name)] - float(earned)) < 0.005, name
        figures = _numbers(note)
        if float(earned) != float(cat_score):
            assert "÷" in note or "上限" in note, (name, note)
            if "÷" in note:  # 不适用 N 分：a × b ÷ c = d
                a, b, c, d = figures[-4:]
                assert a == float(earned) and abs(a * b / c - d) < 0.01 and abs(d - float(cat_score)) < 0.005, note
        assert abs(float(cat_score) * _number(weight) / 100 - float(weighted_score)) < 0.006, name
        total += float(weighted_score)
    printed_total = next(_number(r[-1]) for r in summary if "Σ" in r[0])
    assert abs(total - printed_total) < 0.011 * len(sums), (total, printed_total)


def test_the_examples_prorated_category_is_printed_as_worked_out_by_hand(rendered):
    """The 不适用 rescaling of each example (tests/data/schemes.yaml, read off the example by
    hand) is printed in its self-assessment's category summary."""
    shown = 0
    for scheme_id, facts in SCHEME_FACTS.items():
        for category, formula in (facts.get("prorated") or {}).items():
            forms = [r for r in rendered.values() if r.path.parent.name == scheme_id and r.form.author != "evaluator"
                     and r.path.suffix == ".docx" and _summary(r.path)]
            assert forms, scheme_id
            for r in forms:
                row = next(row for row in _summary(r.path) if squash(row[0]) == category)
                assert squash(formula) in squash(row[2]), (r.form.id, row)
                shown += 1
    assert shown >= 2


@pytest.mark.parametrize(("scheme_id", "form_id"), FORMS, ids=_ids(FORMS))
def test_a_ticked_box_never_claims_符合_for_an_item_marked_不适用(rendered, examples, scheme_id, form_id):
    path = _path(rendered, form_id)
    if path.suffix != ".docx":
        return
    loaded = examples[path.parent.name]
    form = rendered[form_id].form
    score = score_dossier(loaded, by="evaluator" if form.author == "evaluator" else "self")
    texts = {row.id: getattr(row, "text", None) or getattr(row, "requirement", "")
             for row in [*loaded.scheme.basic_conditions, *loaded.scheme.indicators]}
    keys = [squash(texts[i.id])[:12] for i in score.items if not i.applicable and texts.get(i.id)]
    doc = Document(str(path))
    lines = _all_paragraphs(doc) + [" ".join(c.text for c in row.cells) for t in doc.tables for row in t.rows]
    for key in keys:
        for line in (squash(x) for x in lines if key in squash(x)):
            assert "☑" + key not in line and "☑符合" not in line and "☑是" not in line, line[:80]


# --- every form: paper, row order ---------------------------------------------------------------


@pytest.mark.parametrize(("scheme_id", "form_id"), FORMS, ids=_ids(FORMS))
def test_every_page_is_a4(rendered, scheme_id, form_id):
    path = _path(rendered, form_id)
    if path.suffix != ".docx":
        return
    for section in Document(str(path)).sections:
        assert sorted((round(section.page_width.mm), round(section.page_height.mm))) == [210, 297]


ROW_LISTS = {"basic_conditions": "text", "indicators": "requirement", "bonus": "requirement"}


@pytest.mark.parametrize(("scheme_id", "form_id"), FORMS, ids=_ids(FORMS))
def test_a_form_that_lists_the_schemes_rows_lists_all_in_the_schemes_order(rendered, examples, scheme_id, form_id):
    """The forms that print the scheme's basic conditions, indicators or bonus items
    (row_forms in tests/data/schemes.yaml) print every one word for word, in the scheme's
    order (each found after the one before)."""
    path = _path(rendered, form_id)
    scheme = examples[path.parent.name].scheme
    lists = [kind for kind, forms in (SCHEME_FACTS[scheme.id].get("row_forms") or {}).items() if form_id in forms]
    text = squash(docx_fulltext(path)) if lists else ""
    for kind in lists:
        rows = getattr(scheme, kind)
        assert rows, kind
        at = 0
        for row in rows:
            found = text.find(squash(getattr(row, ROW_LISTS[kind])), at)
            assert found >= 0, (kind, row.id)
            at = found + 1


# --- a dossier just created by ``dossier init`` ---------------------------------------------


@pytest.fixture(scope="session")
def blank(tmp_path_factory):
    """Every form of every scheme filled from a dossier ``dossier init`` has just created
    (every field empty but the name)."""
    from click.testing import CliRunner

    from dossier.cli import main

    root = tmp_path_factory.mktemp("blank")
    forms = {}
    for scheme in SCHEMES:
        result = CliRunner().invoke(main, ["init", str(root / scheme.id), "--scheme", scheme.id,
                                           "--name", "某某新建单位", "--year", "2026"])
        assert result.exit_code == 0, result.output
        for r in render_forms(load_dossier(root / scheme.id), out_dir=root / "out" / scheme.id):
            forms[(scheme.id, r.form.id)] = r.path
    return forms


@pytest.mark.parametrize(("scheme_id", "form_id"), FORMS, ids=_ids(FORMS))
def test_an_empty_dossier_renders_every_label_every_hint_and_nothing_left_over(blank, scheme_id, form_id):
    path = blank[(scheme_id, form_id)]
    assert leftovers(path) == []
    text = squash(docx_fulltext(path) if path.suffix == ".docx" else xlsx_fulltext(path))
    assert [label for label in labels_file(form_id) if squash(label) not in text] == []
    assert [h for h in _hints(form_id) if squash(h) not in text] == []
