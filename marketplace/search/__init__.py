"""Search and matching. This package is the only one that imports Whoosh."""
