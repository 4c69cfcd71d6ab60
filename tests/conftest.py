"""The fixtures the suites share; pytest finds them here (never import a fixture).

Stores
    sample_store    SQLite store of the four sample workbooks in date order, with one
                    user per role (`python -m ksmart seed`), built once per session
    empty_store     a store with its schema, the users and no version, once per session
    store_url       an empty store's URL on each backend: SQLite in tmp_path, PostgreSQL
                    in a fresh schema (marked `postgres`; see store_backends.py)
    store           the store at `store_url`, open
    deck_sample     the sample store's newest snapshot, the one it is compared with and
                    the comparison (as the briefing and the deck choose it), once per session

Inputs that cost time to build, built once per session
    bad_corpus      every bad file of corpus_badfiles.py: name -> BadFile (about 25 MB)

Fakes
    fake_countries  a small, fixed country table instead of ksmart.countries
                    (`pytestmark = pytest.mark.usefixtures("fake_countries")`)

Helpers that are not fixtures stay plain modules (ui_fixtures, store_backends,
workbooks, portfolio, corpus_*, chromium, decks, service, socket_guard, examples).
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests import portfolio, store_backends
from tests.corpus_badfiles import bad_files
from tests.ui_fixtures import add_users, seed


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'sample.db'}"
    seed(url)
    return url


@pytest.fixture(scope="session")
def empty_store(tmp_path_factory) -> str:
    from ksmart.store import open_store

    url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'empty.db'}"
    open_store(url).close()
    add_users(url)
    return url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request, tmp_path) -> str:
    """An empty store's URL on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    url = store_backends.pg_url()
    store_backends.fresh_pg_schema(url)
    return url


@pytest.fixture
def store(store_url):
    from ksmart.store import open_store

    s = open_store(store_url)
    yield s
    s.close()


@pytest.fixture(scope="session")
def deck_sample(sample_store) -> SimpleNamespace:
    from ksmart.analytics import changes
    from ksmart.store import open_store

    with open_store(sample_store) as s:
        new = s.read()
        comparison = changes.choose(s.versions(), new.version, new.frames["events"])
        old = s.read(comparison.old.number)
    return SimpleNamespace(new=new, old=old, comparison=comparison)


@pytest.fixture(scope="session")
def bad_corpus() -> dict:
    return bad_files()


@pytest.fixture
def fake_countries(monkeypatch):
    portfolio.use_fake_countries(monkeypatch)
