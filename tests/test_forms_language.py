"""WTForms' own messages come in the viewer's language (app/forms.py keeps its catalogues)."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict
from wtforms import IntegerField

from app.forms import Form


class _Number(Form):
    class Meta:
        csrf = False

    amount = IntegerField()


def _error(app, language: str) -> str:  # noqa: ANN001
    with app.test_request_context(headers={"Accept-Language": language}):
        form = _Number(formdata=MultiDict({"amount": "zwölf"}))
        assert not form.validate()
        return form.errors["amount"][0]


def test_wtforms_messages_follow_the_viewers_language(app):
    english = _error(app, "en")
    german = _error(app, "de")
    assert english == "Not a valid integer value."
    assert german == "Keine gültige, ganze Zahl."
    assert _error(app, "en") == english  # each language's catalogue kept apart
