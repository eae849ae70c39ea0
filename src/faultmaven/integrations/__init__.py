"""Adapters that read what other tools produce (Kubernetes, and later the data sources)."""
