"""Fixtures for the maintenance command tests: a migrated database (SQLite and PostgreSQL)
and settings that point the commands at it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.config import Settings, load_settings
from kiosk.store.db import Database
from tests.helpers.postgres import (
    database_params,
    deselect_sqlite_only,
    open_test_database,
    register_markers,
)


def pytest_configure(config: pytest.Config) -> None:
    register_markers(config)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    deselect_sqlite_only(config, items)


@pytest.fixture(params=database_params())
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    with open_test_database(request.param, tmp_path, request.config) as database:
        yield database


@pytest.fixture
def settings(db: Database, tmp_path: Path) -> Settings:
    return load_settings(
        None,
        overrides={
            "paths.data_dir": str(tmp_path / "data"),
            "store.url": db.url.render_as_string(hide_password=False),
        },
    )
