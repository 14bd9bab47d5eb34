"""Released files that carry their SHA-256 and their deflated form, and the reproducible ZIP assembled from them.

A 1,000-document release is ~120 MB in ~7,000 files. Hashing each file for the catalog, the data package and
SHA256SUMS, and deflating it again for the ZIP on every build, costs seconds. A `PreparedFile` is computed once
(in a build worker, or loaded from the build cache) and remembers both; everything else still sees plain bytes.

`zip_bytes` writes the same bytes as `zipfile` does for the release's ZIP (regular files, fixed date and mode,
deflate level 9, no data descriptors), but reuses the deflated data a PreparedFile already holds. Past 65,535 entries
it adds ZIP64 end records itself (zipfile's layout of them differs; any unzip reads both); only an archive near 2 GB
is left to zipfile.
tests/test_build_speed.py checks it against `zipfile` byte for byte.
"""
from __future__ import annotations

import hashlib
import struct
import zlib

ZIP_LEVEL = 9
_DEFLATED = 8  # compression method number in the ZIP format
_VERSION = 20  # "version needed to extract" for deflate, as zipfile writes it
_ZIP64_VERSION = 45  # the version that knows ZIP64 end records
_UNIX = 3  # "made by" system
# Sizes past which ZIP64 records are needed; such archives are left to zipfile.
_ZIP64_LIMIT = (1 << 31) - 1
_COUNT_LIMIT = (1 << 16) - 1


def deflate(data: bytes) -> bytes:
    """Raw deflate stream, as zipfile makes it for ZIP_DEFLATED at level 9."""
    compressor = zlib.compressobj(ZIP_LEVEL, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


class PreparedFile(bytes):
    """File content with its SHA-256, CRC-32 and deflated form computed once. Compares and hashes as bytes."""

    sha256: str
    crc32: int
    deflated: bytes

    @classmethod
    def of(cls, data: bytes) -> PreparedFile:
        prepared = cls(data)
        prepared.sha256 = hashlib.sha256(data).hexdigest()
        prepared.crc32 = zlib.crc32(data)
        prepared.deflated = deflate(data)
        return prepared

    def __reduce__(self):
        # Pickled with its digests (bytes subclasses otherwise lose them in a worker's result or the cache).
        return (_restore, (bytes(self), self.sha256, self.crc32, self.deflated))


def _restore(data: bytes, sha256: str, crc32: int, deflated: bytes) -> PreparedFile:
    prepared = PreparedFile(data)
    prepared.sha256, prepared.crc32, prepared.deflated = sha256, crc32, deflated
    return prepared


def sha256_hex(data: bytes) -> str:
    if isinstance(data, PreparedFile):
        return data.sha256
    return hashlib.sha256(data).hexdigest()


def zip_bytes(entries: dict[str, bytes], date_time: tuple[int, int, int, int, int, int], mode: int,
              fallback) -> bytes:
    """A ZIP of `entries` (archive name -> content) in the given order, every entry deflated, dated date_time,
    with Unix permissions `mode`. `fallback(entries)` builds archives that need ZIP64 (zipfile does that)."""
    total = sum(len(data) for data in entries.values())
    if total * 1.05 >= _ZIP64_LIMIT:
        return fallback(entries)
    year, month, day, hour, minute, second = date_time
    dos_date = (year - 1980) << 9 | month << 5 | day
    dos_time = hour << 11 | minute << 5 | second // 2
    chunks: list[bytes] = []  # joined once at the end: no second copy of the archive while it grows
    offset = 0
    central = []
    for name, data in entries.items():
        raw_name = name.encode("ascii")  # release paths are [a-z0-9-./] (sources.is_safe_id)
        if isinstance(data, PreparedFile):
            crc, packed = data.crc32, data.deflated
        else:
            crc, packed = zlib.crc32(data), deflate(data)
        header = struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", _VERSION, 0, 0, _DEFLATED, dos_time, dos_date,
                             crc, len(packed), len(data), len(raw_name), 0)
        chunks += [header, raw_name, packed]
        central.append(struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", _VERSION, _UNIX, _VERSION, 0, 0, _DEFLATED,
                                   dos_time, dos_date, crc, len(packed), len(data), len(raw_name), 0, 0, 0, 0,
                                   mode << 16, offset) + raw_name)
        offset += len(header) + len(raw_name) + len(packed)
    if offset >= _ZIP64_LIMIT:
        return fallback(entries)
    size = sum(len(record) for record in central)
    count = len(central)
    zip64 = []
    if count >= _COUNT_LIMIT:
        # More entries than the end record can count (a corpus of ~10,000 documents): a ZIP64 end record and its
        # locator carry the count; the plain end record says 0xFFFF. Re-deflating everything with zipfile instead
        # took ~30 s at 10,000 documents.
        zip64 = [struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, _UNIX << 8 | _ZIP64_VERSION, _ZIP64_VERSION, 0, 0,
                             count, count, size, offset),
                 struct.pack("<4sLQL", b"PK\x06\x07", 0, offset + size, 1)]
        count = 0xFFFF
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, size, offset, 0)
    return b"".join([*chunks, *central, *zip64, end])
