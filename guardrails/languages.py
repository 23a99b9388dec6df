"""The one table of languages guardrails reads: file extensions, comment syntax, the SQL extractor.

Everything that asks "what language is this file" asks here: the default ``sql.sources``,
which extractor finds SQL in code, where an ignore comment counts, and the names
``guardrails init`` shows.
"""

from __future__ import annotations

from dataclasses import dataclass

_CODE = "guardrails.sql.code."
_HASH = ("#",)
_SLASH = ("//", "/*")


@dataclass(frozen=True)
class Language:
    name: str  # as users call it
    extensions: tuple[str, ...]  # lower case, without the dot; the first is the main one
    comments: tuple[str, ...]  # what opens a comment, where an ignore directive counts
    sql_extractor: str | None = None  # "module:function" finding SQL in this code
    sql_by_default: bool = False  # in the default sql.sources


LANGUAGES: tuple[Language, ...] = (
    Language("SQL", ("sql",), ("--", "#", "/*"), sql_by_default=True),
    Language("Go", ("go",), _SLASH, _CODE + "go:extract", True),
    Language("Python", ("py",), _HASH, _CODE + "python:extract", True),
    Language("Java", ("java",), _SLASH, _CODE + "java:extract", True),
    Language("PHP", ("php",), ("//", "#", "/*"), _CODE + "php:extract", True),
    Language("Ruby", ("rb",), _HASH, _CODE + "ruby:extract", True),
    Language("TypeScript", ("ts", "tsx"), _SLASH, _CODE + "typescript:extract", True),
    Language("JavaScript", ("js", "jsx", "mjs", "cjs"), _SLASH, _CODE + "typescript:extract", True),
    Language("Kotlin", ("kt",), _SLASH),
    Language("C", ("c", "h"), _SLASH),
    Language("YAML", ("yml", "yaml"), _HASH),
    Language("Shell", ("sh",), _HASH),
    Language("TOML", ("toml",), _HASH),
    Language("INI", ("cfg", "ini", "timer", "service"), ("#", ";")),
    Language("Markdown", ("md",), ("<!--",)),
    Language("HTML", ("html",), ("<!--",)),
)
DEFAULT_COMMENTS = ("#", "//", "--", "/*")

_BY_EXTENSION = {ext: lang for lang in LANGUAGES for ext in lang.extensions}


def extension(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def language_of(path: str) -> Language | None:
    return _BY_EXTENSION.get(extension(path))


def comment_openers(path: str) -> tuple[str, ...]:
    language = language_of(path)
    return language.comments if language else DEFAULT_COMMENTS


def default_sql_sources() -> list[str]:
    return [f"**/*.{lang.extensions[0]}" for lang in LANGUAGES if lang.sql_by_default]
