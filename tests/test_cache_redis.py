"""With CACHE_REDIS_URL, every instance of the site keeps its pages and pieces in one Redis:
what one renders, the other answers without rendering."""

from __future__ import annotations

import uuid

import pytest

from app.caching.store import store_of
from app.extensions import db
from tests.cache_support import ENGLISH, statements
from tests.conftest import make_app
from tests.support import Factory

REDIS_URL = "redis://127.0.0.1:6379/14"

pytestmark = pytest.mark.redis


def _redis_reachable() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def instances(database_url, tmp_path):  # noqa: ANN001, ANN201
    if not _redis_reachable():
        pytest.skip(f"Redis is not reachable at {REDIS_URL}; CI starts one")
    # A prefix of their own, so that runs side by side never see each other's entries.
    settings = {"PAGE_CACHE": True, "CACHE_REDIS_URL": REDIS_URL}
    apps = [make_app(database_url, tmp_path / name, **settings) for name in ("one", "two")]
    run = uuid.uuid4().hex[:8]
    for app in apps:
        store = store_of(app)
        store.cache.cache.key_prefix += f"{run}:"
    yield apps
    store_of(apps[0]).clear()
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_a_page_rendered_by_one_instance_is_answered_by_the_other(instances):
    one, two = instances
    make = Factory(one)
    article = make.article("Geteilt")
    make.comment(article, make.user("schreiberin"), "Ein Gedanke für alle.")
    path = f"/articles/{article.slug}"
    first = one.test_client().get(path, headers=ENGLISH)
    assert store_of(two).shared and first.status_code == 200
    with statements(two) as seen:
        again = two.test_client().get(path, headers=ENGLISH)
    assert again.data == first.data
    assert again.headers["ETag"] == first.headers["ETag"]
    assert len(seen) == 1 and "cache_versions" in seen[0], seen  # nothing rendered


def test_a_change_through_one_instance_shows_through_the_other(instances):
    one, two = instances
    make = Factory(one)
    article = make.article("Geteilt")
    path = f"/articles/{article.slug}"
    before = two.test_client().get(path, headers=ENGLISH).text
    make.comment(article, make.user("schreiberin"), "Durch die erste Instanz.")
    after = two.test_client().get(path, headers=ENGLISH).text
    assert "Durch die erste Instanz." not in before and "Durch die erste Instanz." in after
