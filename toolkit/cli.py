"""The `policykit` command. Each subcommand is a thin shell around a pure function elsewhere.

User-facing problems are raised as PolicykitError and printed as `file:line:col: error: message`
(exit 2); anything else is an internal error (exit 1) whose traceback `--debug` shows.
"""
from __future__ import annotations

import datetime
import errno
import os
import sys
import traceback
from pathlib import Path

import click

from . import __version__
from .errors import SEVERITY_WORDS, OutputError, PolicykitError, plain_os_error


class _Group(click.Group):
    """Turns our errors into one clean line and a non-zero exit instead of a traceback."""

    def invoke(self, ctx: click.Context):
        def debug() -> bool:  # known only once the group's own options are parsed
            return bool(ctx.obj and ctx.obj.get("debug"))

        try:
            return super().invoke(ctx)
        except PolicykitError as err:
            click.echo(str(err), err=True)
            if debug():
                traceback.print_exc()
            ctx.exit(err.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except BrokenPipeError:
            # `policykit check … | head`: the reader of our output left; not a bug. Silence the final flush and
            # exit as a process killed by SIGPIPE would (128 + 13), like other command-line tools.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(141)
        except OSError as err:
            if err.errno not in ENVIRONMENT_ERRORS:
                _internal_error(ctx, err, debug())
            # A full disk, a read-only file system, no permission: the machine's state, not a bug. Say so plainly.
            if debug():
                traceback.print_exc()
            click.echo(f"{err.filename or 'policykit'}: {SEVERITY_WORDS['error']}: {plain_os_error(err)}", err=True)
            ctx.exit(2)
        except Exception as err:  # noqa: BLE001 - last line of defence for the user
            _internal_error(ctx, err, debug())


# OSErrors that describe the machine (disk, permissions, file system), reported as input errors (exit 2).
ENVIRONMENT_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.ENAMETOOLONG,
                      errno.ELOOP, errno.EMFILE, errno.ENFILE}


def _internal_error(ctx: click.Context, err: Exception, debug: bool) -> None:
    if debug:
        traceback.print_exc()
    click.echo(f"policykit: internal error: {err.__class__.__name__}: {err} "
               "(run with --debug for the traceback, and please report it)", err=True)
    ctx.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="policykit")
@click.option("--debug", is_flag=True, help="Show the Python traceback of errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool):
    """Turn official Chinese policy documents (公文) into validated open data and a website."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


def _write_atomic(path: Path, text: str) -> None:
    """Write a unique temp file next to the target and rename it, so a failure never leaves a half-written file.

    mkstemp creates the temp file with O_EXCL under a random name: a file or symbolic link planted at a predictable
    name cannot be followed or overwritten. The temp file is removed on any error (a full disk included)."""
    import tempfile

    from .errors import SEVERITY_WORDS, output_error

    data = text.encode("utf-8")
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:100]}.", suffix=".tmp", dir=path.parent)
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes it private; the output gets the usual permissions
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
        tmp = None
    except OSError as err:
        raise output_error(err, path) from err
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")
@click.option("--format", "fmt", type=click.Choice(["json", "akn"]), default="json", show_default=True,
              help="json: the document model; akn: Akoma Ntoso 3.0 XML.")
def parse(file: Path, output: Path | None, fmt: str):
    """Parse an official text FILE into the document model (validated before output)."""
    from .reader import read_path
    from .validate import validate_document

    doc = read_path(file)
    validate_document(doc)
    if fmt == "json":
        from .writers.json_writer import to_json
        text = to_json(doc)
    else:
        from .validate import validate_akn
        from .writers.akn import to_akn_string
        text = to_akn_string(doc)
        validate_akn(text, name=str(file))
    if output:
        _write_atomic(output, text)
    else:
        sys.stdout.write(text)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
def validate(files: tuple[Path, ...]):
    """Check policykit's files against their schemas: a document, a diff, rules.json, catalog.json or datapackage.json (JSON,
    recognised by their fields; a data package's files are checked for size and sha256 too) and Akoma Ntoso XML
    (the OASIS XSD)."""
    from .validate import validate_file

    names = {"document": "document", "diff": "diff", "rules": "rules", "catalog": "catalog",
             "datapackage": "data package",
             "akn": "Akoma Ntoso XML"}
    for file in files:
        kind = validate_file(file)
        click.echo(f"{file}: valid {names[kind]}")


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: `file:line:col: 错误|警告: message [code]`; json: one object for all files (English keys and "
                   "severities error/warning).")
@click.pass_context
def check(ctx: click.Context, files: tuple[Path, ...], fmt: str):
    """Lint official texts before publishing: numbering, brackets, dates, metadata, 责任单位 (docs/check.md).

    Exit status: 0 no errors (warnings allowed), 1 errors found, 2 a file could not be read at all.
    """
    import json

    from .check import check_path

    reports = [check_path(file) for file in files]
    for report in reports:
        if report.fatal is not None:
            if ctx.obj.get("debug"):
                traceback.print_exception(report.fatal)
            if fmt == "text":
                click.echo(str(report.fatal), err=True)
        elif fmt == "text":
            for line in report.lines():
                click.echo(line)
    errors, warnings = sum(r.errors for r in reports), sum(r.warnings for r in reports)
    if fmt == "json":
        click.echo(json.dumps({"files": [r.to_dict() for r in reports], "errors": errors, "warnings": warnings},
                              ensure_ascii=False, indent=2))
    else:
        click.echo(f"检查了 {len(reports)} 个文件：错误 {errors} 个，警告 {warnings} 个", err=True)
    ctx.exit(2 if any(r.fatal for r in reports) else 1 if errors else 0)


@main.command()
@click.option("--source", "source_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("source"),
              show_default=True, help="Folder of official texts (*.txt) and manifest.toml.")
@click.option("--output", "output_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("site"),
              show_default=True, help="Website folder; the open data goes into its data/ folder. Replaced entirely: "
              "it must be empty or made by an earlier build (it holds .policykit-build).")
@click.option("-q", "--quiet", is_flag=True, help="No progress lines (warnings and errors are still shown).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=2, show_default=True,
              help="Worker processes for parsing and validating documents.")
@click.option("--no-cache", is_flag=True,
              help="Parse every document again instead of reusing unchanged ones from .cache/policykit/.")
@click.option("--data-only", is_flag=True, help="Write only the open data (data/), not the website.")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Where documents are parsed: worker processes here, or a Dask cluster (docs/scale.md).")
@click.option("--scheduler", metavar="ADDRESS",
              help="With --executor dask: the scheduler, e.g. tcp://10.0.0.5:8786 (none: a local Dask cluster "
                   "of --jobs workers).")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD|today", default=None,
              help="Date the legal status (现行有效, 已废止, 已失效…) is computed for. Default: the newest version date "
                   "in the sources, so the same sources always build the same files.")
@click.option("--config", "site_config", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The publisher's mkdocs.yml (site_name, site_url, site_description, copyright, extra). "
                   "Default: mkdocs.yml in the working folder if there is one.")
def build(source_dir: Path, output_dir: Path, quiet: bool, jobs: int, no_cache: bool, data_only: bool,
          executor: str, scheduler: str | None, as_of: str | None, site_config: Path | None):
    """Build the open-data release (and the website) from every document in --source."""
    from .build import build as run_build
    from .build_cache import DEFAULT_DIR
    from .site.build import PUBLISHER_CONFIG

    if site_config is None and PUBLISHER_CONFIG.is_file():
        site_config = PUBLISHER_CONFIG

    as_of = _as_of_date(as_of)

    def say(line: str) -> None:
        click.echo(line, err=True)

    try:
        result = run_build(source_dir, output_dir, progress=None if quiet else say, warn=say, jobs=jobs,
                           cache_dir=None if no_cache else DEFAULT_DIR, website=not data_only,
                           executor=executor, scheduler=scheduler, as_of=as_of, site_config=site_config)
    except OSError as err:
        if err.errno not in ENVIRONMENT_ERRORS:
            raise
        raise OutputError(f"{plain_os_error(err)}（构建已停止；{output_dir}/ 保持原样）",
                          file=err.filename or str(output_dir)) from err
    except PolicykitError as err:
        err.message += f"（构建已停止；{output_dir}/ 保持原样）"
        raise
    if not quiet:
        unchanged = f"，其中 {result.reused} 个自上次构建以来没有变化" if result.reused else ""
        click.echo(f"已构建 {result.documents} 份文件（{result.versions} 个版本{unchanged}）："
                   f"{output_dir / 'data'} 中数据文件 {result.files} 个，共 {result.bytes:,} 字节", err=True)


def _as_of_date(value: str | None) -> str | None:
    """--as-of: a real calendar date, or `today` (UTC)."""
    if value is None:
        return None
    if value == "today":
        return datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    try:
        if len(value) == 10:
            return datetime.date.fromisoformat(value).isoformat()
    except ValueError:
        pass
    raise click.BadParameter(f"{value!r} is not a date written YYYY-MM-DD (or `today`)", param_hint="--as-of")


@main.command()
@click.option("--site", "site_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("site"),
              show_default=True, help="The built website folder.")
@click.option("--source", "source_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("source"),
              show_default=True, help="Sources to build from when the website is missing or out of date.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port (0: any free one).")
@click.option("--rebuild", is_flag=True, help="Build first even if the website looks up to date.")
def serve(site_dir: Path, source_dir: Path, host: str, port: int, rebuild: bool):
    """Preview the website in a browser: build it if needed, then serve it until Ctrl-C."""
    from .site.serve import is_stale
    from .site.serve import serve as run_server

    if rebuild or is_stale(site_dir, source_dir):
        from .build import build as run_build
        from .site.build import PUBLISHER_CONFIG
        click.echo(f"正在由 {source_dir}/ 构建 {site_dir}/ …", err=True)
        run_build(source_dir, site_dir, warn=lambda line: click.echo(line, err=True),
                  site_config=PUBLISHER_CONFIG if PUBLISHER_CONFIG.is_file() else None)
    run_server(site_dir, host, port, ready=lambda url: click.echo(f"{site_dir}/ 的预览地址：{url}（按 Ctrl-C 停止）",
                                                                  err=True))


@main.command()
@click.argument("old", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True,
              help="text: for the terminal; json: toolkit/schemas/diff.schema.json; markdown: a 修订对照 report.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")
def diff(old: Path, new: Path, fmt: str, output: Path | None):
    """Compare two versions of a document clause by clause (OLD and NEW: official texts or document JSON)."""
    from .diff import diff as compare
    from .diff import load_document

    result = compare(load_document(old), load_document(new))
    if fmt == "json":
        from .writers.diff_json import to_json, validate_diff
        validate_diff(result.to_dict(), name=str(output or "<diff>"))
        text = to_json(result)
    elif fmt == "markdown":
        from .writers.diff_markdown import to_markdown
        text = to_markdown(result)
    else:
        from .writers.diff_text import to_text
        text = to_text(result)
    if output:
        _write_atomic(output, text)
    else:
        sys.stdout.write(text)


@main.command()
@click.argument("profile", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--date", "on", metavar="YYYY-MM-DD", help="The day to match on (documents in force then). Default: today.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True,
              help="text: 中文, for the terminal; json: every verdict with its failed conditions; csv: one row per measure.")
@click.option("--source", "source_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("source"),
              show_default=True, help="Folder of official texts (*.txt) and manifest.toml.")
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path),
              help="A published data release (e.g. site/data): use its rules.json files instead of parsing --source.")
def match(profile: Path, on: str | None, fmt: str, source_dir: Path, data_dir: Path | None):
    """Which measures a company's PROFILE (JSON, schema/profile.schema.json) meets: 符合 / 不符合 / 缺少信息.

    Every measure of every document in force on --date (docs/calculator.md). Exit 0; a bad profile exits 2.
    """
    import datetime

    from . import match as matching
    from .errors import SEVERITY_WORDS, ConfigError
    from .profile import load_profile

    if on is None:
        on = datetime.date.today().isoformat()
    else:
        try:
            on = datetime.date.fromisoformat(on).isoformat()
        except ValueError:
            raise ConfigError(f"--date {on}: 不是有效的日期，应写作 YYYY-MM-DD，如 2025-01-01") from None
    values = load_profile(profile)
    sets = matching.published_rule_sets(data_dir) if data_dir else matching.rule_sets(source_dir)
    result = matching.match(sets, values, on)
    if fmt == "json":
        sys.stdout.write(matching.to_json(result))
    elif fmt == "csv":
        sys.stdout.write(matching.to_csv(result, sets))
    else:
        sys.stdout.write(matching.to_text(result, sets))
