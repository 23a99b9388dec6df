from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import Repo

pytest_plugins = ["tests.mariadb"]


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return Repo(tmp_path / "repo")
