"""``$ref`` strings: which file and which JSON pointer they name, and what they point at."""

from __future__ import annotations

import functools
import posixpath
from typing import Any
from urllib.parse import unquote

REMOTE_PREFIXES = ("http://", "https://", "urn:", "file:")
_MISSING = object()


class RefError(Exception):
    """A $ref that cannot be followed; the message says which part is wrong."""


def is_remote(ref: str) -> bool:
    return ref.lower().startswith(REMOTE_PREFIXES)


@functools.lru_cache(maxsize=65536)  # a multi-file spec repeats each relative ref hundreds of times
def split_ref(ref: str, from_path: str) -> tuple[str, str]:
    """The repository-relative file and the JSON pointer a local $ref names."""
    file_part, _, pointer = ref.partition("#")
    if not file_part:
        return from_path, pointer
    file_part = unquote(file_part)
    target = posixpath.normpath(posixpath.join(posixpath.dirname(from_path), file_part))
    if target.startswith("../") or target == ".." or posixpath.isabs(target):
        raise RefError(f"$ref {ref!r} points outside the repository")
    return target, pointer


def follow_pointer(data: Any, pointer: str, file: str) -> Any:
    """The value at a JSON pointer (as written in a URI fragment); raises RefError naming the missing part."""
    pointer = unquote(pointer)
    if pointer in ("", "/"):
        return data
    if not pointer.startswith("/"):
        raise RefError(f"#{pointer} is not a JSON pointer (it must start with /)")
    node = data
    walked = ""
    for raw in pointer[1:].split("/"):
        part = raw.replace("~1", "/").replace("~0", "~")
        value: Any = _MISSING
        if isinstance(node, dict):
            value = node.get(part, _MISSING)
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            value = node[int(part)]
        if value is _MISSING:
            raise RefError(f"{file} has nothing at #{walked or '/'} named {part!r}")
        walked += "/" + raw
        node = value
    return node
