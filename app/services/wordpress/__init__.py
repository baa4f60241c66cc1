"""Moving a WordPress site in (import of its export file) and out again (a WXR export)."""

from app.services.wordpress.importer import ImportFailed, import_wxr
from app.services.wordpress.reader import WxrError
from app.services.wordpress.report import ImportReport

__all__ = ["ImportFailed", "ImportReport", "WxrError", "import_wxr"]
