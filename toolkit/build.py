"""`policykit build`: every source document -> the website with the open-data release in site/data/.

Steps, in order; nothing touches the output folder until the last one:
  1. read source/manifest.toml and list the source files (sources.py);
  2. parse and validate every document version (JSON schema, Akoma Ntoso XSD); the first error stops the build;
  3. render the data release in memory (release.py);
  4. in a fresh temp folder next to the output (same file system): build the website into <tmp>/site, then write
     the data into <tmp>/site/data (after the site, because mkdocs empties its site_dir);
  5. swap <tmp>/site into place and delete the previous output.
On any error the temp folder is removed and the previous output is left exactly as it was.
"""
from __future__ import annotations

import importlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .errors import ConfigError, PolicykitError, ValidationError
from .model import Document
from .release import Release, ReleaseContext, ReleaseDocument, ReleaseVersion, render, write
from .sources import DocumentSpec, is_safe_id, load_sources, safe_id, unlisted_version_key

DATA_DIR = "data"  # the release inside the site folder
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
    site_built: bool  # False while the website builder is not available


def build(source_dir: Path, output_dir: Path, *, progress: Echo | None = None, warn: Echo | None = None,
          base_url: str | None = None, read: Callable[[Path], Document] | None = None) -> BuildResult:
    """Build the release from source_dir into output_dir (default layout: source/ -> site/).

    progress: called with one line per document version (None: silent); warn: called with warnings.
    read: the reader (default toolkit.reader.read_path); tests may pass another.
    """
    source_dir, output_dir = Path(source_dir), Path(output_dir).absolute()
    progress = progress or _silent
    warn = warn or _silent
    _check_output(output_dir, source_dir)

    sources = load_sources(source_dir)
    if not sources.documents:
        raise ConfigError(f"no source documents (*.txt) in {source_dir}", file=str(source_dir))
    for path in sources.unlisted:
        where = sources.manifest or source_dir / "manifest.toml"
        warn(f"warning: {path} is not listed in {where}; building it as a document with a single version")

    release = Release(_parse_all(sources.documents, read, progress, warn))
    files = render(release, base_url)
    context = ReleaseContext(release, files, DATA_DIR)

    output_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp_root = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=output_dir.parent))
    try:
        new_site = tmp_root / "site"
        site_built = _build_website(context, new_site, quiet=progress is _silent)
        if not site_built:
            warn("warning: the website builder (toolkit.site) is not available; only the data release is written")
        new_site.mkdir(exist_ok=True)
        if (new_site / DATA_DIR).exists():
            raise ConfigError(f"the website build wrote a {DATA_DIR}/ folder, which is reserved for the data release",
                              file=str(output_dir))
        write(files, new_site / DATA_DIR)
        _swap_into_place(new_site, output_dir, tmp_root / "previous")
    finally:
        shutil.rmtree(tmp_root, ignore_errors=True)
    return BuildResult(output_dir, len(release.documents), sum(len(d.versions) for d in release.documents),
                       len(files), sum(len(b) for b in files.values()), site_built)


def _parse_all(specs: list[DocumentSpec], read, progress: Echo, warn: Echo) -> list[ReleaseDocument]:
    """Parse and validate every version; resolve ids and version keys the manifest left to the text."""
    read = read or _require("toolkit.reader", "read_path")
    validate_document = _optional("toolkit.validate", "validate_document")
    to_akn = _optional("toolkit.writers.akn", "to_akn_string")
    validate_akn = _optional("toolkit.writers.akn", "validate_akn")
    if validate_document is None:
        warn("warning: toolkit.validate is not available yet; document JSON is written without schema validation")
    if to_akn is None:
        warn("warning: the Akoma Ntoso writer (toolkit.writers.akn) is not available yet; "
             "the release has no .akn.xml files")

    total = sum(len(s.versions) for s in specs)
    done = 0
    documents: list[ReleaseDocument] = []
    origin: dict[str, Path] = {}  # document id -> the file that claimed it first, for a clear duplicate error
    for spec in specs:
        parsed: list[tuple] = []
        for vspec in spec.versions:
            doc = _read(read, vspec.file)
            parsed.append((vspec, doc))
        doc_id = spec.id or _derived_id(spec, [d for _, d in parsed])
        if doc_id in origin:
            raise ConfigError(f"document id {doc_id!r} is given by both {origin[doc_id]} and {spec.versions[0].file}; "
                              "list them in manifest.toml as versions of one document, or give each an `id`",
                              file=str(spec.versions[0].file))
        origin[doc_id] = spec.versions[0].file

        versions = []
        for vspec, doc in parsed:
            done += 1
            doc.id = doc_id  # the JSON says the id the files are published under
            key = vspec.version if spec.listed else unlisted_version_key(doc.metadata.signed_date)
            akn = _validated(doc, vspec.file, validate_document, to_akn, validate_akn)
            versions.append(ReleaseVersion(key, vspec.amends, vspec.file, doc, akn))
            progress(_progress_line(done, total, doc_id, key, vspec.file, doc))
        documents.append(ReleaseDocument(doc_id, versions, list(spec.relations)))
    return documents


def _validated(doc: Document, source: Path, validate_document, to_akn, validate_akn) -> str | None:
    """Check the JSON and build and check the AKN of one version; errors name the source file."""
    try:
        if validate_document is not None:
            validate_document(doc)
    except ValidationError as err:
        err.file, err.message = str(source), f"its JSON {err.message}"
        raise
    if to_akn is None:
        return None
    akn = to_akn(doc)
    try:
        if validate_akn is not None:
            validate_akn(akn, name=str(source))
    except ValidationError as err:
        # The line is one of the generated XML, which is never written: say so instead of pointing into the text.
        where = f" at line {err.line} of the XML (see `policykit parse --format akn {source}`)" if err.line else ""
        err.file, err.line, err.column = str(source), None, None
        err.message = f"its Akoma Ntoso XML is not valid{where}: {err.message}"
        raise
    return akn


def _read(read, path: Path) -> Document:
    try:
        return read(path)
    except PolicykitError as err:
        err.file = err.file or str(path)
        raise


def _derived_id(spec: DocumentSpec, docs: list[Document]) -> str:
    """The id the reader derived (from 发文字号), made URL-safe; the file name when the text gives none."""
    candidates = {safe_id(d.id or "") for d in docs} - {""}
    if len(candidates) > 1:
        raise ConfigError(f"the versions of one document derive different ids ({', '.join(sorted(candidates))}); "
                          "give the document an `id` in manifest.toml", file=str(spec.versions[0].file))
    doc_id = candidates.pop() if candidates else safe_id(spec.versions[0].file.stem)
    if not is_safe_id(doc_id):
        raise ConfigError("cannot derive a document id from the text or the file name; list the file in "
                          "manifest.toml with an `id`", file=str(spec.versions[0].file))
    return doc_id


def _progress_line(done: int, total: int, doc_id: str, version: str, path: Path, doc: Document) -> str:
    units = list(doc.units())
    resp = sum(len(u.responsibilities) for u in units) + len(doc.responsibilities)
    thr = sum(len(u.thresholds) for u in units)
    line = (f"[{done}/{total}] {doc_id} {version} from {path}: {len(units)} clauses, {resp} responsibilities, "
            f"{thr} thresholds")
    if doc.warnings:
        line += f", {len(doc.warnings)} warning{'s' if len(doc.warnings) != 1 else ''}"
    return line


def _check_output(output_dir: Path, source_dir: Path) -> None:
    """Refuse an output folder we would destroy by mistake: the build replaces the whole folder."""
    if output_dir.exists() and not output_dir.is_dir():
        raise ConfigError("the output exists and is not a folder", file=str(output_dir))
    src = source_dir.resolve()
    out = output_dir.resolve()
    if out == src or out in src.parents or out == Path.cwd().resolve() or out in Path.cwd().resolve().parents:
        raise ConfigError("the output folder would contain the sources or the working folder; "
                          "choose a separate folder such as site/", file=str(output_dir))
    if output_dir.is_dir() and any(output_dir.iterdir()) and not (output_dir / DATA_DIR / "catalog.json").is_file():
        raise ConfigError(f"the output folder is not empty and is not a previous build (no {DATA_DIR}/catalog.json); "
                          "the build replaces it entirely, so remove it yourself or choose another --output",
                          file=str(output_dir))


def _build_website(context: ReleaseContext, site_dir: Path, quiet: bool) -> bool:
    """WEBSITE HOOK (issue 5): toolkit.site.build_site builds the site into site_dir (mkdocs empties it first).

    It gets the documents (ReleaseDocument: .id, .versions oldest first, each with .version, .date, .document)
    and every release file as a resource dict (path relative to data/, format, bytes, hash, schema). The data
    release is written into site_dir/data afterwards. Without the website builder the output holds only data/.
    """
    build_site = _optional("toolkit.site", "build_site")
    if build_site is None:
        return False
    build_site(context.release.documents, context.resources(), site_dir, quiet=quiet)
    return True


def _swap_into_place(new: Path, target: Path, aside: Path) -> None:
    """Replace target with new using renames on one file system: the old output survives any failure here."""
    if target.exists():
        os.replace(target, aside)
        try:
            os.replace(new, target)
        except BaseException:
            os.replace(aside, target)
            raise
    else:
        os.replace(new, target)


def _optional(module: str, name: str):
    """A function from a module another part of the team is still writing; None until it exists."""
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as err:
        if err.name == module:
            return None
        raise  # the module exists but something it imports is missing: a real error
    return getattr(mod, name, None)


def _require(module: str, name: str):
    func = _optional(module, name)
    if func is None:
        raise ConfigError(f"{module}.{name} is not available in this installation")
    return func
