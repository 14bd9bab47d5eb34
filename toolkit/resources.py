"""Files the package ships (JSON Schemas, the website template, theme overrides, hand-written pages), found with
importlib.resources so that an installed wheel works outside the git checkout.

    toolkit/schemas/        document, diff, catalog … JSON Schemas (also published in every release: data/schemas/)
    toolkit/site/mkdocs.yml the website's mkdocs configuration template
    toolkit/site/overrides/ theme overrides (mkdocs-material custom_dir)
    toolkit/site/pages/     hand-written pages (home, about) and assets (CSS)
    toolkit/data/           registries (departments, provinces)
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

from .errors import ConfigError


def package_path(*parts: str) -> Path:
    """A file or folder shipped in the package, as a real path (mkdocs and shutil need one)."""
    target = resources.files("toolkit").joinpath(*parts)
    path = Path(str(target))
    if not path.exists():
        raise ConfigError(f"policykit is installed without its {'/'.join(parts)} (reinstall the package)")
    return path


def schema_path(name: str) -> Path:
    """toolkit/schemas/<name>.schema.json"""
    return package_path("schemas", f"{name}.schema.json")


def schema_text(name: str) -> str:
    return schema_path(name).read_text(encoding="utf-8")
