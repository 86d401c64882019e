"""The submission package (``dossier build``)."""

from .build import BuildReport, build_package
from .size import parse_size

__all__ = ["BuildReport", "build_package", "parse_size"]
