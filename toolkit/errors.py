"""User-facing errors: one hierarchy, each carrying where the problem is and what it is in plain words.

The CLI prints them as ``file:line:col: 错误: message`` and exits 2: the publisher reads them, so the word and
the message are Chinese (``--format json`` keeps its English keys and severities, an API). Anything else that
escapes is an internal error (exit 1, English: it is for us, not the publisher).
"""
from __future__ import annotations

import errno

# The severity as a publisher reads it in text output; the English key stays in JSON and in Finding.severity.
SEVERITY_WORDS = {"error": "错误", "warning": "警告"}


class PolicykitError(Exception):
    """A problem with the user's input or configuration, not a bug in policykit."""

    exit_code = 2

    def __init__(self, message: str, file: str | None = None, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.column = column

    def location(self) -> str:
        parts = [self.file or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        return f"{self.location()}: {SEVERITY_WORDS['error']}: {self.message}"


class DecodeError(PolicykitError):
    """The file is empty, binary, or in an encoding we cannot read."""


class StructureError(PolicykitError):
    """The text cannot be turned into a document (no body, unusable numbering…)."""


class ValidationError(PolicykitError):
    """An output (JSON, XML, data package) does not satisfy its schema."""

    def __init__(self, message: str, file: str | None = None, line: int | None = None,
                 column: int | None = None, details: list[str] | None = None):
        super().__init__(message, file, line, column)
        self.details = details or []

    def __str__(self) -> str:
        head = super().__str__()
        return "\n".join([head, *(f"  {d}" for d in self.details)])


class ConfigError(PolicykitError):
    """The manifest, registry or command-line options are wrong."""


class OutputError(PolicykitError):
    """An output file or folder cannot be written: full disk, read-only file system, no permission…"""


# errno -> what it means for the user, in plain words (strerror says "[Errno 28] No space left on device").
_PLAIN = {
    errno.ENOSPC: "磁盘已满",
    errno.EDQUOT: "磁盘配额已用完",
    errno.EROFS: "文件系统是只读的",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.ENAMETOOLONG: "文件名太长",
    errno.ELOOP: "符号链接形成循环（链接指回自身）",
    errno.ENOTDIR: "路径中有一部分是文件，不是文件夹",
    errno.EISDIR: "这是一个文件夹",
}


def plain_os_error(err: OSError) -> str:
    """An operating-system error in words a publisher understands."""
    return _PLAIN.get(err.errno, err.strerror or str(err))


def output_error(err: OSError, path) -> OutputError:
    """The OutputError to raise for an OSError met while writing `path`."""
    return OutputError(f"无法写入输出：{plain_os_error(err)}；没有写入任何文件", file=str(path))
