"""The public website: every document, its clauses, departments, thresholds and the open-data downloads,
as a static mkdocs-material site with Chinese search (Pagefind)."""
from .build import SiteSummary, build_site
from .search_index import require_pagefind
from .catalog import SiteDocument, SiteVersion

__all__ = ["SiteDocument", "SiteSummary", "SiteVersion", "build_site", "require_pagefind"]
