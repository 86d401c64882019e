"""Regenerate form templates: ``python -m form_templates.build [module …]`` (all by default).

Also records, in ``names.json`` beside them, the names each .docx template uses and the
sha256 of its bytes: a build then skips parsing a bundled template (dossier/render/docx_form.py)."""

import importlib
import json
import pkgutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> None:
    from dossier.render.docx_form import NAMES_FILE, names_record

    from . import kit

    names = argv or sorted(m.name for m in pkgutil.iter_modules([str(HERE)]) if m.name != "kit" and not m.name.startswith("_"))
    built: list[Path] = []
    for name in names:
        module = importlib.import_module(f"form_templates.build.{name}")
        for path in module.build():
            print(f"{name}: {path.name}")
            built.append(path)
    record_file = kit.TEMPLATES / NAMES_FILE
    try:
        record = json.loads(record_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        record = {}
    record.update(names_record([p for p in built if p.suffix == ".docx"]))
    record = {name: entry for name, entry in sorted(record.items()) if (kit.TEMPLATES / name).is_file()}
    record_file.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"names: {record_file.name} ({len(record)} templates)")


if __name__ == "__main__":
    main(sys.argv[1:])
