"""`policykit build`: every source document -> the website with the open-data release in site/data/.

Steps, in order; nothing touches the output folder until the last one:
  1. read source/manifest.toml and list the source files (sources.py);
  2. parse and validate every document version (JSON schema, Akoma Ntoso XSD) and render its files; the first
     error (in source order) stops the build. Versions whose source is unchanged since the last build come from the
     build cache (build_cache.py); the others are done by `jobs` worker processes, and the results are put back in
     source order, so the output is byte-identical to a serial build;
  3. render the rest of the data release in memory (release.py): catalog, data package, checksums, ZIP;
  4. in a fresh temp folder next to the output (same file system): build the website into <tmp>/site, then write
     the data into <tmp>/site/data (after the site, because mkdocs empties its site_dir);
  5. swap <tmp>/site into place and delete the previous output.
On any error the temp folder is removed and the previous output is left exactly as it was.
"""
from __future__ import annotations

import ctypes
import errno
import functools
import os
import pickle
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from . import executors, tempdirs
from .archive import PreparedFile
from .build_cache import Cache, Entry, fingerprint
from .errors import ConfigError, PolicykitError, ValidationError
from .model import Document
from .reader import read_path
from .validate import validate_akn, validate_document
from .writers.akn import to_akn_string
from .release import (Release, ReleaseContext, ReleaseDocument, ReleaseVersion, VersionSummary, render,
                      version_files)
from .sources import (MAX_ID_LENGTH, DocumentSpec, VersionSpec, is_safe_id, load_sources, safe_id,
                      unlisted_version_key)

DATA_DIR = "data"  # the release inside the site folder
# Written into every output folder: the build replaces (deletes) only a folder that holds it, never one that merely
# looks like a build (a user's folder with a data/catalog.json of its own was deleted).
MARKER = ".policykit-build"
MARKER_TEXT = b"This folder was written by `policykit build`, which replaces all of it on the next build.\n"
TEMP_PREFIX = ".build-tmp-"  # ignored by git, removed by `make clean`

Echo = Callable[[str], None]


def _silent(line: str) -> None:
    pass


@dataclass
class BuildResult:
    output: Path
    documents: int
    versions: int
    files: int  # files in the data release
    bytes: int
    site_built: bool  # False with website=False (or a website step that builds nothing, as tests stub it)
    parsed: int = 0  # versions the reader read in this build
    reused: int = 0  # versions taken from the build cache unchanged


def build(source_dir: Path, output_dir: Path, *, progress: Echo | None = None, warn: Echo | None = None,
          base_url: str | None = None, read: Callable[[Path], Document] | None = None, jobs: int = 1,
          cache_dir: Path | None = None, website: bool = True, executor: str = "local",
          scheduler: str | None = None, as_of: str | None = None, site_config: Path | None = None) -> BuildResult:
    """Build the release from source_dir into output_dir (default layout: source/ -> site/).

    progress: called with one line per document version (None: silent); warn: called with warnings.
    read: the reader (default toolkit.reader.read_path); tests may pass another.
    jobs: worker processes for parsing, validating and rendering (1: all in this process).
    executor, scheduler: where that work runs: "local" (this machine) or "dask" (a cluster at the scheduler
    address, or a LocalCluster without one); see executors.py. The output is the same whichever runs it.
    cache_dir: the build cache (None: no cache; the command line uses build_cache.DEFAULT_DIR).
    website: False writes only the open data (data/), without running mkdocs.
    as_of: the date legal statuses are computed for (YYYY-MM-DD); None: the newest version date in the corpus.
    site_config: the publisher's mkdocs.yml (site_name, site_url…), None: the template's settings.
    """
    source_dir, output_dir = Path(source_dir), Path(output_dir).absolute()
    progress = progress or _silent
    warn = warn or _silent
    recover_aside(output_dir)
    _check_output(output_dir, source_dir)

    sources = load_sources(source_dir)
    if not sources.documents:
        raise ConfigError(f"{source_dir} 中没有源文件（*.txt）", file=str(source_dir))
    for line in unlisted_warnings(sources.unlisted, sources.manifest or source_dir / "manifest.toml"):
        warn(line)

    stats = _Stats()
    release = Release(_parse_all(sources.documents, read, progress, warn, jobs, cache_dir, stats, executor, scheduler),
                      as_of=as_of)
    files = render(release, base_url)
    context = ReleaseContext(release, files, DATA_DIR, site_config)

    output_dir.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temp_dirs(output_dir.parent)
    tmp_root = Path(tempfile.mkdtemp(prefix=tempdirs.prefix_for(TEMP_PREFIX), dir=output_dir.parent))
    try:
        new_site = tmp_root / "site"
        site_built = website and _build_website(context, new_site, quiet=progress is _silent)
        new_site.mkdir(exist_ok=True)
        if (new_site / DATA_DIR).exists():
            raise ConfigError(f"网站构建写出了 {DATA_DIR}/ 文件夹，而这个文件夹是留给开放数据的",
                              file=str(output_dir))
        _write_data(files, new_site / DATA_DIR, output_dir / DATA_DIR)
        (new_site / MARKER).write_bytes(MARKER_TEXT)
        _swap_into_place(new_site, output_dir, tmp_root / aside_name(output_dir))
    finally:
        shutil.rmtree(tmp_root, ignore_errors=True)
    return BuildResult(output_dir, len(release.documents), sum(len(d.versions) for d in release.documents),
                       len(files), sum(len(b) for b in files.values()), site_built, stats.parsed, stats.reused)


@dataclass
class _Stats:
    parsed: int = 0
    reused: int = 0


@dataclass(frozen=True)
class _Steps:
    """The functions that turn one source file into validated release files (module-level: workers get them)."""

    read: Callable
    validate_document: Callable
    to_akn: Callable
    validate_akn: Callable

    def picklable(self) -> bool:
        """False for functions a worker process cannot import (e.g. a test's local stand-in)."""
        try:
            pickle.dumps(self)
        except (pickle.PicklingError, AttributeError, TypeError):
            return False
        return True


@dataclass
class _Outcome:
    """What became of one DocumentSpec: its versions so far, and the error that stopped it, if any."""

    doc_id: str | None = None
    versions: list[ReleaseVersion] = field(default_factory=list)
    error: PolicykitError | None = None
    error_stage: str = ""  # "read": before the document id was known; "validate": after
    parsed: int = 0
    reused: int = 0


def _parse_all(specs: list[DocumentSpec], read, progress: Echo, warn: Echo, jobs: int = 1,
               cache_dir: Path | None = None, stats: _Stats | None = None, executor: str = "local",
               scheduler: str | None = None) -> list[ReleaseDocument]:
    """Parse and validate every version; resolve ids and version keys the manifest left to the text."""
    steps = _Steps(read or read_path, validate_document, to_akn_string, validate_akn)
    cache = None
    if cache_dir is not None:
        cache = Cache(cache_dir, fingerprint(steps.read, steps.validate_document, steps.to_akn, steps.validate_akn))
        cache.prune()
    stats = stats or _Stats()

    total = sum(len(s.versions) for s in specs)
    done = 0
    documents: list[ReleaseDocument] = []
    origin: dict[str, Path] = {}  # document id -> the file that claimed it first, for a clear duplicate error
    # The checks below run in source order, whichever worker finished first: the same error as a serial build.
    for spec, outcome in zip(specs, _outcomes(specs, steps, cache, jobs, executor, scheduler)):
        stats.parsed += outcome.parsed
        stats.reused += outcome.reused
        if outcome.error is not None and outcome.error_stage == "read":
            raise outcome.error
        doc_id = outcome.doc_id
        if doc_id in origin:
            raise ConfigError(f"{origin[doc_id]} 和 {spec.versions[0].file} 得出同一个文件 id {doc_id!r}："
                              "请在 manifest.toml 中把它们列为同一份文件的不同版本，或给每份文件写一个 `id`",
                              file=str(spec.versions[0].file))
        origin[doc_id] = spec.versions[0].file
        for rv in outcome.versions:
            done += 1
            progress(_progress_line(done, total, doc_id, rv.version, rv.source, rv.summary))
        if outcome.error is not None:
            raise outcome.error
        documents.append(ReleaseDocument(doc_id, outcome.versions, list(spec.relations), spec.status,
                                         list(spec.former_ids)))
    return documents


def _outcomes(specs: list[DocumentSpec], steps: _Steps, cache: Cache | None, jobs: int,
              executor: str = "local", scheduler: str | None = None) -> Iterator[_Outcome]:
    """The outcome of every spec, in source order. Cache hits are taken here; the rest go to the executor."""
    ready = [_prepare(spec, steps, cache, cached_only=True) if cache else None for spec in specs]
    todo = [i for i, outcome in enumerate(ready) if outcome is None]
    local = executor == "local"
    if not todo or (local and (jobs <= 1 or len(todo) < 3 or not steps.picklable())):
        for spec, outcome in zip(specs, ready):
            yield outcome or _prepare(spec, steps, cache)
        return
    if local:
        # The first document is done here: that imports the reader and loads the schemas (XSD, JSON Schema)
        # once, and the forked workers inherit them instead of each loading them again.
        ready[todo[0]] = _prepare(specs[todo[0]], steps, cache)
        todo = todo[1:]
    pool = executors.make(executor, jobs=min(jobs, len(todo)), scheduler=scheduler)
    try:
        computed = pool.map(functools.partial(_prepare, steps=steps, cache=cache), [specs[i] for i in todo])
        for outcome in ready:
            yield outcome or next(computed)
    finally:
        pool.close()


def _prepare(spec: DocumentSpec, steps: _Steps, cache: Cache | None, cached_only: bool = False) -> _Outcome | None:
    """Read, validate and render every version of one document (in a worker, or here).

    cached_only: return None unless everything comes from the cache unchanged (nothing is computed).
    PolicykitErrors are returned in the outcome, not raised, so the caller can report them in source order.
    """
    outcome = _Outcome()
    entries: list[tuple[VersionSpec, str | None, Entry]] = []
    for vspec in spec.versions:
        key = _cache_key(cache, vspec.file)
        entry = cache.get(key) if key else None
        if entry is None:
            if cached_only:
                return None
            try:
                doc = _read(steps.read, vspec.file)
            except PolicykitError as err:
                outcome.error, outcome.error_stage = err, "read"
                return outcome
            outcome.parsed += 1
            entry = Entry(doc.id, doc)
        entries.append((vspec, key, entry))
    try:
        outcome.doc_id = spec.id or _derived_id(spec, [e.read_id for _, _, e in entries])
    except PolicykitError as err:
        outcome.error, outcome.error_stage = err, "read"
        return outcome

    for vspec, key, entry in entries:
        version = vspec.version if spec.listed else unlisted_version_key(entry.summary.metadata.signed_date)
        if entry.files is None or (entry.doc_id, entry.version) != (outcome.doc_id, version):
            if cached_only:
                return None
            doc = _published(entry, outcome.doc_id)
            try:
                akn = _validated(doc, vspec.file, steps.validate_document, steps.to_akn, steps.validate_akn)
            except PolicykitError as err:
                outcome.error, outcome.error_stage = err, "validate"
                return outcome
            rendered = version_files(outcome.doc_id, ReleaseVersion(version, vspec.amends, vspec.file, doc, akn))
            entry.doc_id, entry.version = outcome.doc_id, version  # the AKN is among the files
            entry.files = {path: PreparedFile.of(data) for path, data in rendered.items()}
            if key:
                cache.put(key, entry)
        elif key:
            outcome.reused += 1
        # A document from the cache stays on disk until something needs more than its summary (website, diff).
        loaded = entry.document if entry._document is not None else None
        if loaded is not None:
            loaded.id = outcome.doc_id
        outcome.versions.append(ReleaseVersion(version, vspec.amends, vspec.file, loaded, None, entry.files,
                                               entry.summary, functools.partial(_published, entry, outcome.doc_id)))
    return outcome


def _published(entry: Entry, doc_id: str) -> Document:
    """The entry's document under the id its files are published under (the JSON says that id)."""
    doc = entry.document
    doc.id = doc_id
    return doc


def _cache_key(cache: Cache | None, path: Path) -> str | None:
    if cache is None:
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None  # the reader reports the problem
    return cache.key(path.name, data)


def _validated(doc: Document, source: Path, validate_document, to_akn, validate_akn) -> str:
    """Check the JSON and build and check the AKN of one version; errors name the source file."""
    try:
        validate_document(doc)
    except ValidationError as err:
        err.file, err.message = str(source), f"它的 JSON {err.message}"
        raise
    akn = to_akn(doc)
    try:
        validate_akn(akn, name=str(source))
    except ValidationError as err:
        # The line is one of the generated XML, which is never written: say so instead of pointing into the text.
        where = f"（XML 第 {err.line} 行，见 `policykit parse --format akn {source}`）" if err.line else ""
        err.file, err.line, err.column = str(source), None, None
        err.message = f"它的 Akoma Ntoso XML 无效{where}：{err.message}"
        raise
    return akn


def _read(read, path: Path) -> Document:
    try:
        return read(path)
    except PolicykitError as err:
        err.file = err.file or str(path)
        raise


def _derived_id(spec: DocumentSpec, read_ids: list[str | None]) -> str:
    """The id the reader derived (from 发文字号), made URL-safe; the file name when the text gives none."""
    candidates = {safe_id(i or "") for i in read_ids} - {""}
    if len(candidates) > 1:
        raise ConfigError(f"同一份文件的各个版本得出不同的 id（{'、'.join(sorted(candidates))}）："
                          "请在 manifest.toml 中给这份文件写一个 `id`", file=str(spec.versions[0].file))
    doc_id = candidates.pop() if candidates else safe_id(spec.versions[0].file.stem)
    if not is_safe_id(doc_id):
        raise ConfigError("无法从正文或文件名得出文件 id：请在 manifest.toml 中"
                          "列出这个文件并写上 `id`", file=str(spec.versions[0].file))
    if len(doc_id) > MAX_ID_LENGTH:
        raise ConfigError(f"由发文字号或文件名得出的文件 id "
                          f"有 {len(doc_id)} 个字符，最多 {MAX_ID_LENGTH} 个（它用作文件和文件夹的名称）："
                          "请在 manifest.toml 中列出这个文件并写一个更短的 `id`", file=str(spec.versions[0].file))
    return doc_id


def aside_name(output_dir: Path) -> str:
    """Where the two-rename swap keeps the previous output inside the temp folder (named after the output, so a
    temp folder next to several outputs is never taken for the wrong one)."""
    return f"previous-{output_dir.name}"


def recover_aside(output_dir: Path) -> bool:
    """Without an atomic exchange the swap renames the previous output aside, then the new one into place. A build
    killed between the two leaves no output and the only copy of the previous one in its temp folder: put that
    copy back before anything else (the temp folder would otherwise be removed as stale). True if one was."""
    if os.path.lexists(output_dir):
        return False
    candidates = []
    for tmp in output_dir.parent.glob(f"{TEMP_PREFIX}*"):
        pid = tmp.name[len(TEMP_PREFIX):].split("-", 1)[0]
        aside = tmp / aside_name(output_dir)
        if pid.isdigit() and not tempdirs.process_alive(int(pid)) and aside.is_dir() and _made_by_build(aside):
            candidates.append((aside.stat().st_mtime_ns, str(aside), aside))
    if not candidates:
        return False
    aside = max(candidates)[2]  # the latest, should several killed builds have left one
    os.replace(aside, output_dir)
    shutil.rmtree(aside.parent, ignore_errors=True)  # what is left of the killed build
    return True


def remove_stale_temp_dirs(parent: Path) -> None:
    """A build that was killed leaves its temp folder (named after its process id); the next build removes
    the folders of processes that no longer run, and leaves those of a build still running."""
    tempdirs.remove_stale(parent, TEMP_PREFIX)


UNLISTED_NAMED = 10  # past this many unlisted files, one summary line instead of a line each


def unlisted_warnings(paths: list[Path], manifest: Path) -> list[str]:
    """Warnings for source files the manifest does not list; a long list is summarised, not repeated."""
    if len(paths) <= UNLISTED_NAMED:
        return [f"警告: {path} 没有列在 {manifest} 中：作为只有一个版本的文件构建"
                for path in paths]
    named = ", ".join(str(p) for p in paths[:5])
    return [f"警告: {len(paths)} 个文件没有列在 {manifest} 中（{named} 等，另有 {len(paths) - 5} 个）："
            "每个都作为只有一个版本的文件构建"]


def _progress_line(done: int, total: int, doc_id: str, version: str, path: Path, summary: VersionSummary) -> str:
    line = (f"[{done}/{total}] {doc_id} {version}，来自 {path}：条目 {summary.clauses} 个，"
            f"责任分工 {summary.responsibilities} 项，数量标准 {summary.thresholds} 项")
    if summary.warnings:
        line += f"，警告 {summary.warnings} 条"
    return line


def _check_output(output_dir: Path, source_dir: Path) -> None:
    """Refuse an output folder we would destroy by mistake: the build replaces the whole folder."""
    src, out = _resolved(source_dir), _resolved(output_dir)
    if output_dir.exists() and not output_dir.is_dir():
        raise ConfigError("输出位置已存在，但不是文件夹", file=str(output_dir))
    if out == src or out in src.parents or out == Path.cwd().resolve() or out in Path.cwd().resolve().parents:
        raise ConfigError("输出文件夹会包含源文件或当前工作文件夹："
                          "请另选一个文件夹，如 site/", file=str(output_dir))
    if output_dir.is_dir() and any(output_dir.iterdir()) and not _made_by_build(output_dir):
        raise ConfigError(f"输出文件夹不是空的，也不是以前的构建结果（没有 policykit build 写入的 {MARKER} "
                          "文件）；构建会整个替换它，请自行删除，或另选 --output", file=str(output_dir))


def _resolved(path: Path) -> Path:
    """The real path, or a ConfigError naming a loop of symbolic links (Path.resolve raises RuntimeError)."""
    try:
        return path.resolve()
    except (RuntimeError, OSError) as err:
        raise ConfigError("路径中的符号链接形成循环（链接指回自身）",
                          file=str(path)) from err


def _made_by_build(folder: Path) -> bool:
    marker = folder / MARKER
    try:
        return not marker.is_symlink() and marker.is_file() and marker.read_bytes() == MARKER_TEXT
    except OSError:
        return False


def _build_website(context: ReleaseContext, site_dir: Path, quiet: bool) -> bool:
    """WEBSITE HOOK (issue 5): toolkit.site.build_site builds the site into site_dir (mkdocs empties it first).

    It gets the release (release.Release: documents with their versions, statuses and relations, computed once)
    and every release file as a resource dict (path relative to data/, format, bytes, hash, schema). The data
    release is written into site_dir/data afterwards. Without the website builder the output holds only data/.
    """
    from .site import build_site  # mkdocs and the theme load only when a website is built

    build_site(context.release, context.resources(), site_dir, quiet=quiet, config_file=context.site_config)
    return True


def _write_data(files: dict[str, bytes], data_dir: Path, previous: Path) -> None:
    """Write the data release into the new (empty) data_dir. A file the previous build wrote with the same bytes is
    hard-linked from there instead of written again: after a small change, a rebuild writes little."""
    data_dir.mkdir(parents=True)
    folders = {data_dir}
    for rel, data in files.items():
        target = data_dir / rel
        if target.parent not in folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            folders.add(target.parent)
        if isinstance(data, PreparedFile) and _same_file(previous / rel, data):
            try:
                os.link(previous / rel, target)
                continue
            except OSError:
                pass  # another file system, or links not supported: write it
        target.write_bytes(data)


def _same_file(path: Path, data: bytes) -> bool:
    try:
        if path.is_symlink() or path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def _swap_into_place(new: Path, target: Path, aside: Path) -> None:
    """Replace target with new using renames on one file system: the old output survives any failure here."""
    if target.exists():
        if _exchange(new, target):
            return  # one atomic step; the previous output is now at `new`, removed with the temp folder
        # Two renames: a failure between them is undone below, but a kill there would leave no output at all.
        os.replace(target, aside)
        try:
            os.replace(new, target)
        except BaseException:
            os.replace(aside, target)
            raise
    else:
        os.replace(new, target)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2 with RENAME_EXCHANGE), so that a build killed at any
    moment leaves either the old or the new output in place. False where the system or file system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)  # glibc >= 2.28
    if renameat2 is None:
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False  # an old kernel, or a file system without the flag
    raise OSError(code, os.strerror(code), str(b))
