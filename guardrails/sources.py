"""Inputs that rules consume, built once per run and only when an enabled rule needs them.

Each entry names a loader ``load(workspace, config) -> Iterator[unit | Finding]``.
A unit has a ``path`` (repository-relative, "" for the pull request itself);
a Finding yielded by a loader is a ``parse-error`` for input it could not read.
Loaders are imported by name so that start-up never pays for an unused one.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from typing import Any

LOADERS: dict[str, str] = {
    "sql": "guardrails.sql.source:load_statements",
    "migration": "guardrails.sql.source:load_migrations",
    "openapi": "guardrails.openapi.source:load_specs",
    "pull_request": "guardrails.github.source:load_pull_request",
}


# Inputs whose units each come from one file: the engine may split their files between
# processes. Entry: "module:function" listing the files the input reads.
PER_FILE: dict[str, str] = {
    "sql": "guardrails.sql.source:sql_files",
}


def file_lister(input_name: str) -> Callable[[Any, Any], list[str]] | None:
    if input_name not in PER_FILE:
        return None
    module_name, _, attr = PER_FILE[input_name].partition(":")
    return getattr(importlib.import_module(module_name), attr)  # type: ignore[no-any-return]


def loader(input_name: str) -> Callable[[Any, Any], Iterator[Any]]:
    module_name, _, attr = LOADERS[input_name].partition(":")
    return getattr(importlib.import_module(module_name), attr)  # type: ignore[no-any-return]
