from hypothesis import given
from hypothesis import strategies as st

from app.services.slugs import is_valid_slug, slugify


def test_german_transliteration():
    assert slugify("Größere Übungen für Banken") == "groessere-uebungen-fuer-banken"
    assert slugify("Social Media ist nicht gleich Social Media") == (
        "social-media-ist-nicht-gleich-social-media"
    )
    assert slugify("Ärger, Öl & Maß – 100 %") == "aerger-oel-mass-100"
    assert slugify("Café crème") == "cafe-creme"


@given(st.text())
def test_slugs_are_always_valid_or_empty(title):
    slug = slugify(title)
    assert slug == "" or is_valid_slug(slug)
