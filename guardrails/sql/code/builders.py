"""Query-builder and ORM calls that produce a statement modifier without any SQL text.

``sq.Insert("t").Options("IGNORE")`` or ``insert(t).prefix_with("IGNORE")`` never
contain the words ``INSERT IGNORE`` in one literal, so the statement path cannot
see them. Extractors yield a ``QueryBuilderCall`` for each such call instead;
rules that care (insert-ignore) report it at the call's own location.
"""

from __future__ import annotations

from dataclasses import dataclass

from guardrails.findings import Location

VERBS = {"insert": "INSERT", "update": "UPDATE", "delete": "DELETE", "replace": "REPLACE"}


@dataclass(frozen=True)
class QueryBuilderCall:
    """One call that sets a statement modifier through an API.

    ``api`` names the call as the user wrote it (e.g. ``squirrel .Options("IGNORE")``),
    ``verb`` is the statement it builds (INSERT, UPDATE, DELETE), ``modifier`` the
    modifier it sets (IGNORE), and ``instead`` what to write with the same API.
    """

    path: str
    location: Location
    api: str
    verb: str
    modifier: str
    instead: str
    origin: str  # the language


def verb_of(names: list[str], default: str = "INSERT") -> str:
    """The statement verb from the method names along a call chain (innermost last)."""
    for name in reversed(names):
        verb = VERBS.get(name.lower())
        if verb:
            return verb
    return default


def is_ignore_word(value: str) -> bool:
    """Whether a modifier string sets IGNORE (``"IGNORE"``, ``"LOW_PRIORITY IGNORE"``)."""
    return "IGNORE" in value.upper().split()


# What to write instead, per API.
INSTEAD = {
    "squirrel": 'use .Suffix("ON DUPLICATE KEY UPDATE col = VALUES(col)"), or a plain insert '
    "that handles the duplicate-key error 1062 explicitly",
    "gorm": "use clause.OnConflict{Columns: ..., DoUpdates: clause.AssignmentColumns(...)}, "
    "or handle the duplicate-key error explicitly",
    "sqlalchemy": "use sqlalchemy.dialects.mysql.insert(...).on_duplicate_key_update(...), "
    "or catch IntegrityError explicitly",
    "django": "use bulk_create(..., update_conflicts=True, update_fields=[...], "
    "unique_fields=[...]), or catch IntegrityError explicitly",
    "peewee": "use .on_conflict(update={...}), or catch IntegrityError explicitly",
    "laravel": "use upsert(...), or a plain insert that catches the duplicate-key QueryException explicitly",
    "sequel": "use .on_duplicate_key_update(...), or a plain insert that rescues Sequel::UniqueConstraintViolation",
    "knex": "use .onConflict(...).merge(...), or a plain insert that handles ER_DUP_ENTRY explicitly",
    "jooq": "use .onDuplicateKeyUpdate().set(...), or a plain insert that handles the duplicate-key error",
    "activerecord-import": "use on_duplicate_key_update: [...] (or Rails' upsert_all), or rescue "
    "ActiveRecord::RecordNotUnique explicitly",
    "kysely": "use .onDuplicateKeyUpdate({...}), or a plain insert that handles ER_DUP_ENTRY explicitly",
    "typeorm": "use .orUpdate([...], [...]) (or Repository.upsert), or handle ER_DUP_ENTRY explicitly",
    "core-ng": "use repository.upsert(entity) or insert(entity) and handle the duplicate-key error explicitly",
}
# UPDATE and DELETE have no upsert to offer in place of IGNORE: the plain statement, errors handled.
_PLAIN = {
    "UPDATE": "build a plain UPDATE and catch duplicate-key error 1062 explicitly",
    "DELETE": "build a plain DELETE and handle the foreign-key error explicitly",
}


def instead(api: str, verb: str) -> str:
    """What to write instead of the IGNORE an API sets on a statement: the API's own upsert
    for INSERT (``INSTEAD``), a plain statement with its error handled for UPDATE and DELETE."""
    return _PLAIN.get(verb) or INSTEAD[api]
