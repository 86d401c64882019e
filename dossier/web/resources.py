"""Where the web app's templates and static files are (shipped inside the package: no CDN)."""

from pathlib import Path

HERE = Path(__file__).resolve().parent
TEMPLATES_DIR = HERE / "templates"
STATIC_DIR = HERE / "static"
