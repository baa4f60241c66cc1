"""The base of every form: Flask-WTF's, with WTForms' own messages ("Not a valid integer
value.", …) in the viewer's language from a catalogue read once per language and worker.

Flask-WTF reads that catalogue from disk again on every request that builds a form, which
cost more than rendering the comment form itself.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from babel import support
from flask_babel import get_locale
from flask_wtf import FlaskForm
from wtforms.i18n import messages_path

from app.config import SUPPORTED_LOCALES


@lru_cache(maxsize=len(SUPPORTED_LOCALES))
def _wtforms_catalogue(locale: str) -> support.Translations:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class _Messages:
    """WTForms' messages, translated when they are shown (as Flask-WTF's own are): a form
    built before the language of the request is settled still speaks the right one."""

    def gettext(self, string: str) -> str:
        return _wtforms_catalogue(str(get_locale())).ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return _wtforms_catalogue(str(get_locale())).ungettext(singular, plural, n)


_MESSAGES = _Messages()


class Form(FlaskForm):
    class Meta:
        def get_translations(self, form: Any) -> _Messages:  # noqa: ARG002
            return _MESSAGES
