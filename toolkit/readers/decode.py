"""Bytes -> text lines: encoding detection (UTF-8, UTF-8 with BOM, GB18030/GBK) and newline handling."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import DecodeError

# Control characters other than newline, tab and form feed (a page break, which becomes a newline).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass
class DecodedText:
    text: str  # newlines normalised to \n
    encoding: str  # utf-8 | utf-8-sig | gb18030
    newline: str  # lf | crlf | cr | mixed | none


def _line_of(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in bytes) of a byte offset."""
    line = data.count(b"\n", 0, offset) + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return line, column


def _newline_style(text: str) -> str:
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    kinds = [name for name, count in (("crlf", crlf), ("cr", cr), ("lf", lf)) if count]
    if not kinds:
        return "none"
    return kinds[0] if len(kinds) == 1 else "mixed"


def decode(data: bytes, name: str) -> DecodedText:
    """Decode a source file, or raise DecodeError saying in plain words why it cannot be read."""
    if not data.strip():
        raise DecodeError("文件是空的：没有可读的文字", name)
    if b"\x00" in data:
        line, column = _line_of(data, data.index(b"\x00"))
        raise DecodeError("这像是二进制文件（含有 NUL 字节），不是文本文件",
                          name, line, column)
    if data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    else:
        encoding = "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("gb18030")
            encoding = "gb18030"
        except UnicodeDecodeError:
            line, column = _line_of(data, utf8_error.start)
            raise DecodeError("无法解码：既不是 UTF-8，也不是 GB18030/GBK 编码"
                              f"（第一个无法解码的字节为 0x{data[utf8_error.start]:02x}）",
                              name, line, column) from None
    newline = _newline_style(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    _reject_binary(text, name)
    return DecodedText(text=text, encoding=encoding, newline=newline)


def _reject_binary(text: str, name: str) -> None:
    """Text full of control characters is a binary file that happened to decode."""
    controls = _CONTROL.findall(text)
    if len(controls) > max(8, len(text) // 50):
        first = _CONTROL.search(text).start()
        line = text.count("\n", 0, first) + 1
        raise DecodeError("这像是二进制文件（满是控制字符），不是文本文件", name, line)
    if not any(ch.isalnum() for ch in text):
        raise DecodeError("文件中没有可读的文字（只有标点或符号）", name)
