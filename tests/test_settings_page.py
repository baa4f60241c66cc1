"""/admin/settings: admins change the moderation lists and limits; a saved value wins."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import SiteSetting, UserRole
from app.services import site_settings
from app.services.errors import InvalidInput
from tests.support import csrf_token, login_as

GOOD = {
    "COMMENT_MODERATION": "all",
    "COMMENT_MAX_LINKS": "4",
    "COMMENT_MAX_LENGTH": "3000",
    "COMMENT_HOLD_WORDS": "Casino\nbillig kaufen\n\ncasino",
    "COMMENT_BLOCK_WORDS": "Idiot, Depp",
    "FLAG_THRESHOLD": "5",
    "COMMENT_EDIT_MINUTES": "30",
}


@pytest.fixture
def admin_client(client, make):  # noqa: ANN001, ANN201
    login_as(client, make.user("chefin", role=UserRole.ADMIN))
    return client


def saved(app) -> dict:  # noqa: ANN001
    with app.app_context():
        return {row.key: json.loads(row.value) for row in db.session.scalars(select(SiteSetting))}


def effective(app) -> dict:  # noqa: ANN001
    with app.app_context():
        return site_settings.effective_settings(db.session, app.config)


def post(client, data):  # noqa: ANN001, ANN201
    token = csrf_token(client.get("/admin/settings").data)
    return client.post("/admin/settings", data={"csrf_token": token, **data})


def test_the_page_shows_the_configured_values(admin_client):
    html = admin_client.get("/admin/settings").text
    assert 'name="COMMENT_MAX_LINKS"' in html and 'value="2"' in html
    assert '<option selected value="first">' in html or 'value="first" selected' in html
    assert "Moderationseinstellungen" in html


def test_saving_good_values_makes_them_win(app, admin_client):
    response = post(admin_client, GOOD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/settings"
    values = effective(app)
    assert values["COMMENT_MODERATION"] == "all"
    assert values["COMMENT_MAX_LINKS"] == 4
    assert values["COMMENT_MAX_LENGTH"] == 3000
    assert values["COMMENT_HOLD_WORDS"] == ["Casino", "billig kaufen"]  # blanks, repeats gone
    assert values["COMMENT_BLOCK_WORDS"] == ["Idiot", "Depp"]
    assert values["FLAG_THRESHOLD"] == 5
    assert values["COMMENT_EDIT_MINUTES"] == 30
    page = admin_client.get("/admin/settings").text
    assert "Die Einstellungen wurden gespeichert." in page
    assert "Casino\nbillig kaufen" in page
    assert 'value="4"' in page


def test_saving_the_configured_value_again_removes_the_saved_one(app, admin_client):
    post(admin_client, GOOD)
    back = dict(GOOD, COMMENT_MAX_LINKS="2", COMMENT_MODERATION="first")
    post(admin_client, back)
    stored = saved(app)
    assert "COMMENT_MAX_LINKS" not in stored and "COMMENT_MODERATION" not in stored
    assert stored["FLAG_THRESHOLD"] == 5


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("COMMENT_MODERATION", "sometimes", "Wählen Sie all, first oder none."),
        ("COMMENT_MAX_LINKS", "zwei", "Bitte geben Sie eine ganze Zahl ein."),
        ("COMMENT_MAX_LINKS", "-1", "von 0 bis 100"),
        ("COMMENT_MAX_LINKS", "1.5", "ganze Zahl"),
        ("COMMENT_MAX_LINKS", "", "ganze Zahl"),
        ("COMMENT_MAX_LINKS", "٣", "ganze Zahl"),  # an Arabic-Indic digit
        ("COMMENT_MAX_LENGTH", "99999999999999999999", "von 100 bis 100000"),
        ("FLAG_THRESHOLD", "0", "von 1 bis 100"),
        ("COMMENT_EDIT_MINUTES", "1441", "von 0 bis 1440"),
        ("COMMENT_HOLD_WORDS", "x" * 101, "höchstens 100 Zeichen"),
        ("COMMENT_BLOCK_WORDS", "\n".join(f"w{n}" for n in range(501)), "höchstens 500"),
    ],
)
def test_bad_values_are_refused_beside_the_field_and_kept(app, admin_client, field, value, message):
    response = post(admin_client, dict(GOOD, **{field: value}))
    assert response.status_code == 400
    assert message in response.text
    assert f'id="{field}-error"' in response.text
    assert "Nichts wurde gespeichert" in response.text
    # Every value typed is still there, the wrong one too.
    if field != "COMMENT_MODERATION" and "\n" not in value and len(value) < 200:
        assert value in response.text
    other = "Idiot, Depp" if field != "COMMENT_BLOCK_WORDS" else "billig kaufen"
    assert other in response.text
    assert saved(app) == {}


def test_naughty_strings_are_stored_and_shown_as_text(app, admin_client, shared_dir: Path):
    strings = json.loads((shared_dir / "corpora" / "blns.json").read_text())
    chosen = [s for s in strings if "<" in s or "'" in s or "\u202e" in s][:40]
    chosen = [s for s in chosen if len(s) <= 100]
    response = post(admin_client, dict(GOOD, COMMENT_HOLD_WORDS="\n".join(chosen)))
    assert response.status_code == 302
    stored = effective(app)["COMMENT_HOLD_WORDS"]
    assert stored == site_settings.parse_words("\n".join(chosen))
    page = admin_client.get("/admin/settings").text
    assert "<script>alert" not in page


def test_a_broken_saved_value_falls_back_to_the_configured_one(app):
    with app.app_context():
        db.session.add(SiteSetting(key="COMMENT_MAX_LINKS", value='"lots"'))
        db.session.add(SiteSetting(key="FLAG_THRESHOLD", value="{not json"))
        db.session.commit()
    values = effective(app)
    assert values["COMMENT_MAX_LINKS"] == 2
    assert values["FLAG_THRESHOLD"] == 3


def test_clean_value_rejects_unknown_keys_and_bools(app):
    with pytest.raises(KeyError):
        site_settings.clean_value("SECRET_KEY", "x")
    with pytest.raises(InvalidInput):
        site_settings.clean_value("FLAG_THRESHOLD", True)
    with app.app_context(), pytest.raises(KeyError):
        site_settings.save_settings(db.session, {"SECRET_KEY": "x"}, None)
