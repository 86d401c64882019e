"""Regenerate form templates: ``python -m form_templates.build [module …]`` (all by default)."""

import importlib
import pkgutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> None:
    names = argv or sorted(m.name for m in pkgutil.iter_modules([str(HERE)]) if m.name != "kit" and not m.name.startswith("_"))
    for name in names:
        module = importlib.import_module(f"form_templates.build.{name}")
        for path in module.build():
            print(f"{name}: {path.name}")


if __name__ == "__main__":
    main(sys.argv[1:])
