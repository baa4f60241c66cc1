"""Full-text search over published articles and visible comments (``/search``).

The blueprint lives in app/search/routes.py, so that the index's schema (schema.py) can be
imported by the extensions and the migration without loading any views.
"""
