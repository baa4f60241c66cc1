"""The rules of the site, as plain functions with explicit arguments.

Services take the session, the acting user and the current time as arguments, raise the
small errors of :mod:`app.services.errors`, and know nothing of requests or templates.
"""
