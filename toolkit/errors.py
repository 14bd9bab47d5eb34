"""User-facing errors: one hierarchy, each carrying where the problem is and what it is in plain words.

The CLI prints them as ``file:line:col: error: message`` and exits 2. Anything else that escapes is
an internal error (exit 1).
"""
from __future__ import annotations

import errno


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
        return f"{self.location()}: error: {self.message}"


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
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENAMETOOLONG: "the file name is too long",
    errno.ELOOP: "a loop of symbolic links (a link that points back to itself)",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EISDIR: "it is a folder",
}


def plain_os_error(err: OSError) -> str:
    """An operating-system error in words a publisher understands."""
    return _PLAIN.get(err.errno, err.strerror or str(err))


def output_error(err: OSError, path) -> OutputError:
    """The OutputError to raise for an OSError met while writing `path`."""
    return OutputError(f"cannot write the output: {plain_os_error(err)}; nothing was written", file=str(path))
