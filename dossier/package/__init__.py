"""The submission package (``dossier build``)."""

from .batch import BatchResult, build_many
from .build import BuildReport, build_package
from .size import parse_size

__all__ = ["BatchResult", "BuildReport", "build_many", "build_package", "parse_size"]
