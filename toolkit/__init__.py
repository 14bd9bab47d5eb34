"""policykit: official Chinese policy documents (公文) to validated open data and a searchable website."""

__version__ = "0.1.0"
