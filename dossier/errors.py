"""Exceptions of the library, each with the exit code the CLI turns it into.

The library raises; it never prints or exits. ``cli.py`` maps these to exit codes
in one place (the exit codes are listed in README.md). Messages are in Chinese: users read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class DossierError(Exception):
    """Base of every error the library raises on purpose."""

    exit_code = 2


class BadInputError(DossierError):
    """Bad input or usage: malformed dossier, unknown scheme, unreadable file (exit 2)."""

    exit_code = 2


class UnknownSchemeError(BadInputError):
    pass


class DossierExistsError(BadInputError):
    pass


class SchemeDataError(DossierError):
    """A shipped (or user-supplied) scheme file is malformed: names the file and the key."""

    exit_code = 2


class SystemComponentError(DossierError):
    """A system component (LibreOffice, fonts, OCR) is missing or failed (exit 3)."""

    exit_code = 3


@dataclass
class Issue:
    """One problem found in a dossier file, located by field path and line/column."""

    path: str
    message: str
    line: int | None = None
    column: int | None = None
    severity: str = "error"  # error | warning

    def to_dict(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "severity": self.severity,
        }

    def __str__(self) -> str:
        where = f"第 {self.line} 行" if self.line else "位置未知"
        if self.column:
            where += f"第 {self.column} 列"
        return f"{where}：{self.path or '（文件）'}：{self.message}"


@dataclass
class DossierInvalidError(BadInputError):
    """The dossier file does not validate; carries every issue found."""

    file: str
    issues: list[Issue] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        lines = [f"{self.file} 有 {len(self.issues)} 处错误："]
        lines += [f"  {issue}" for issue in self.issues]
        return "\n".join(lines)


class TemplateError(BadInputError):
    """A form template is missing or broken: names the file and the tag (exit 2)."""


class NotReadyError(DossierError):
    """The answer is "not yet": evidence missing or expired, package incomplete (exit 1)."""

    exit_code = 1
