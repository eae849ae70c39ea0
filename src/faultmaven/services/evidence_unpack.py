"""Turning one upload into the evidence items it holds: gunzip, unzip, untar, refuse bombs.

Everything streams through files in a spool folder, so no upload is ever held in memory.
"""

import gzip
import tarfile
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, BinaryIO

from faultmaven.domain.errors import EvidenceTooLargeError, InvalidInputError

COPY_CHUNK = 1024 * 1024
BOMB_RATIO = 20
GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class UnpackedItem:
    """One evidence item: its name, the bytes to keep as sent, and the content to read.

    `failure` is set when the item could not be unpacked (e.g. an encrypted zip member):
    it is then stored as failed evidence rather than dropped.
    """

    name: str
    original: Path
    content: Path
    failure: str | None = None


def unpack_upload(
    path: Path, name: str, spool: Path, max_bytes: int
) -> tuple[list[UnpackedItem], bool]:
    """Return the items inside the upload at `path`, and whether it was an archive.

    A gzip is decompressed (`app.log.gz` becomes `app.log`); a zip or tar becomes one
    item per member named `archive.zip/path/in/archive`.
    """
    size = path.stat().st_size
    if size == 0:
        raise InvalidInputError(f"{name!r} is empty: there is nothing to analyse")
    head = _head(path, 512)
    content, content_name = path, name
    if head.startswith(GZIP_MAGIC):
        content = _gunzip(path, spool, size, max_bytes, name)
        content_name = name[:-3] if name.lower().endswith(".gz") else name
        if content.stat().st_size == 0:
            raise InvalidInputError(f"{name!r} decompresses to nothing")
    if zipfile.is_zipfile(content) and _head(content, 4) == ZIP_MAGIC:
        return list(_zip_members(content, content_name, spool, size, max_bytes)), True
    if _is_tar(content):
        return list(_tar_members(content, content_name, spool, size, max_bytes)), True
    return [UnpackedItem(name=content_name, original=path, content=content)], False


def _head(path: Path, size: int) -> bytes:
    with path.open("rb") as handle:
        return handle.read(size)


def _is_tar(path: Path) -> bool:
    head = _head(path, 512)
    return len(head) == 512 and head[257:262] == b"ustar" and tarfile.is_tarfile(path)


def _copy_limited(source: BinaryIO, target: IO[bytes], budget: int, sent: int, name: str) -> int:
    written = 0
    while chunk := source.read(COPY_CHUNK):
        written += len(chunk)
        if written > budget:
            raise EvidenceTooLargeError(
                f"{name!r} expands past the upload limit ({budget} bytes)"
                f" from {sent} bytes sent: refused as a likely decompression bomb"
                if written > BOMB_RATIO * sent
                else f"{name!r} expands past the upload limit of {budget} bytes"
            )
        target.write(chunk)
    return written


def _spool_file(spool: Path) -> IO[bytes]:
    return tempfile.NamedTemporaryFile(dir=spool, prefix="unpacked-", delete=False)


def _extract(source: BinaryIO, spool: Path, budget: int, sent: int, name: str) -> tuple[Path, int]:
    """Copy `source` into a new spool file within `budget` bytes; no file is left on failure."""
    with _spool_file(spool) as target:
        try:
            written = _copy_limited(source, target, budget, sent, name)
        except BaseException:
            Path(target.name).unlink(missing_ok=True)
            raise
        return Path(target.name), written


def _gunzip(path: Path, spool: Path, sent: int, max_bytes: int, name: str) -> Path:
    with gzip.open(path, "rb") as source:
        try:
            return _extract(source, spool, max_bytes, sent, name)[0]  # type: ignore[arg-type]
        except (OSError, EOFError, zlib.error) as error:
            raise InvalidInputError(f"{name!r} is not a readable gzip file: {error}") from None


def _zip_members(
    path: Path, name: str, spool: Path, sent: int, max_bytes: int
) -> Iterator[UnpackedItem]:
    budget = max_bytes
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as error:
        raise InvalidInputError(f"{name!r} is not a readable zip archive: {error}") from None
    with archive:
        for member in archive.infolist():
            if member.is_dir():
                continue
            member_name = f"{name}/{member.filename}"
            if member.flag_bits & 0x1:
                yield UnpackedItem(member_name, path, path, failure="encrypted zip member")
                continue
            try:
                with archive.open(member) as source:
                    member_path, written = _extract(source, spool, budget, sent, name)  # type: ignore[arg-type]
            except (zipfile.BadZipFile, zlib.error, OSError) as error:
                yield UnpackedItem(member_name, path, path, failure=f"unreadable member: {error}")
                continue
            budget -= written
            yield UnpackedItem(member_name, member_path, member_path)


def _tar_members(
    path: Path, name: str, spool: Path, sent: int, max_bytes: int
) -> Iterator[UnpackedItem]:
    budget = max_bytes
    try:
        archive = tarfile.open(path)  # noqa: SIM115 - closed by the `with` below
    except tarfile.TarError as error:
        raise InvalidInputError(f"{name!r} is not a readable tar archive: {error}") from None
    with archive:
        for member in archive:
            if not member.isfile():
                continue
            source = archive.extractfile(member)
            if source is None:
                continue
            with source:
                member_path, written = _extract(source, spool, budget, sent, name)  # type: ignore[arg-type]
            budget -= written
            yield UnpackedItem(f"{name}/{member.name}", member_path, member_path)


def spool_bytes(data: bytes, spool: Path) -> Path:
    """Write `data` to a new spool file and return its path."""
    with _spool_file(spool) as target:
        target.write(data)
        return Path(target.name)
