"""The public website: every document, its clauses, departments, thresholds and the open-data downloads,
as a static mkdocs-material site with Chinese search."""
from .build import SiteSummary, build_site, require_jieba
from .catalog import SiteDocument, SiteVersion

__all__ = ["SiteDocument", "SiteSummary", "SiteVersion", "build_site", "require_jieba"]
