"""The engine's shape: no import cycle between its modules, no programme named in code
outside the one place per programme, no model path walked or data folder found outside
the one module that does it."""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import ROOT, SCHEME_IDS

PACKAGE = ROOT / "dossier"
# Per-programme code: one module per scheme id (dossier/programmes.py finds it).
PROGRAMME_MODULES = PACKAGE / "render" / "extras"


def modules() -> dict[str, Path]:
    out = {}
    for file in sorted(PACKAGE.rglob("*.py")):
        parts = file.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = file
    return out


def imports_of(name: str, file: Path, known: dict[str, Path]) -> set[str]:
    """The dossier modules ``name`` imports, at module level or inside functions."""
    package = name if file.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            subs = [f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in known]
            found.update(subs if len(subs) == len(node.names) else [target, *subs])
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return {m for m in found if m in known and m != name}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in graph:
        if v not in index:
            visit(v)
    return out


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_between_the_engines_modules():
    known = modules()
    assert "dossier.workbook.export" in known and "dossier.workbook.importer" in known
    graph = {name: imports_of(name, file, known) for name, file in known.items()}
    assert "dossier.workbook.importer" in graph["dossier.workbook.export"]
    assert cycles(graph) == []


def _strings(tree: ast.AST) -> list[tuple[int, str]]:
    """String constants of the code, docstrings left out (they show examples)."""
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)
    }
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


def test_no_programme_is_named_in_code_outside_its_own_module():
    assert len(SCHEME_IDS) >= 6
    named = []
    for file in PACKAGE.rglob("*.py"):
        if PROGRAMME_MODULES in file.parents:
            continue
        for line, text in _strings(ast.parse(file.read_text(encoding="utf-8"))):
            named += [f"{file.relative_to(ROOT)}:{line}: {scheme_id}" for scheme_id in SCHEME_IDS if scheme_id in text]
    assert named == []


def test_park_is_a_kind_of_subject_only():
    """``subject == "park"`` branches became the scoring method's trait (yearly indicators):
    "park" is left only where the subject kinds are declared."""
    found = []
    for file in PACKAGE.rglob("*.py"):
        for line, text in _strings(ast.parse(file.read_text(encoding="utf-8"))):
            if text == "park":
                found.append(f"{file.relative_to(ROOT)}:{line}")
    assert found and all(f.startswith("dossier/model.py:") for f in found), found


def test_data_folders_are_found_by_resources_only():
    offenders = []
    for file in PACKAGE.rglob("*.py"):
        if file.name == "resources.py":
            continue
        text = file.read_text(encoding="utf-8")
        for needle in ('/ "data"', 'with_name("data")', '"checklists"', '"form_templates"'):
            if needle in text and not (needle == '"checklists"' and file.name == "loader.py"):  # DIR/checklists/
                offenders.append(f"{file.relative_to(ROOT)}: {needle}")
    assert offenders == []


def test_one_model_path_walker():
    """Only dossier/introspect.py unwraps ``X | None`` while walking the model's annotations."""
    walkers = []
    for file in PACKAGE.rglob("*.py"):
        text = file.read_text(encoding="utf-8")
        if file.name != "introspect.py" and "type(None)" in text and ("get_args" in text or "get_origin" in text):
            walkers.append(str(file.relative_to(ROOT)))
    assert walkers == []


def test_no_assert_does_a_runtime_check_in_the_library():
    """``python -O`` drops every ``assert``: a check the engine relies on raises instead."""
    asserts = [f"{file.relative_to(ROOT)}:{node.lineno}"
               for file in PACKAGE.rglob("*.py")
               for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))) if isinstance(node, ast.Assert)]
    assert asserts == []


def test_route_table_checks_hold_under_python_O():
    """The web route table refuses a route with an unknown action or a {name} that does
    not match ``dossier`` — also when Python runs with -O (asserts removed)."""
    import subprocess
    import sys

    code = ("import sys\nfrom dossier.web.routes import WebRoute\n"
            "async def h(request): ...\n"
            "for kwargs in ({'path': '/x', 'action': 'no-such-action', 'dossier': False},\n"
            "               {'path': '/d/{name}/x', 'action': 'view', 'dossier': False}):\n"
            "    try:\n"
            "        WebRoute(handler=h, **kwargs)\n"
            "    except ValueError as exc:\n"
            "        print('refused:', exc)\n"
            "    else:\n"
            "        print('accepted', kwargs['path'])\n")
    proc = subprocess.run([sys.executable, "-O", "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == 2 and all(line.startswith("refused:") for line in lines), proc.stdout
    assert "no-such-action" in lines[0] and "/d/{name}/x" in lines[1]
