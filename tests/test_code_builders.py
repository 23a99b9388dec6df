"""Builders and ORMs that render IGNORE on MySQL without the word in any SQL literal."""
# guardrails:ignore-file[insert-ignore] the snippets quote the calls under test

from __future__ import annotations

from guardrails.testing import run
from tests.test_code_support import position_of

KYSELY_TYPEORM = """import { Kysely } from "kysely";
import { DataSource } from "typeorm";

export async function save(db: Kysely<DB>, dataSource: DataSource, rows: Tag[]): Promise<void> {
  await db.insertInto("tags").values(rows).ignore().execute();
  await db.insertInto("tags").values(rows).orIgnore().execute();
  await db.insertInto("tags").values(rows).onDuplicateKeyUpdate({ name: "x" }).execute();
  await dataSource.createQueryBuilder().insert().into(Tag).values(rows).orIgnore().execute();
  const ignored = emitter.ignore();
}
"""

KNEX_JS = """const knex = require("knex")({ client: "mysql2" });

module.exports.link = (rows) =>
  knex("user_tags").insert(rows).onConflict(["user_id", "tag_id"]).ignore();
"""

ACTIVERECORD_IMPORT = """class TagImporter
  def run(tags)
    Tag.import(%i[name slug], tags, on_duplicate_key_ignore: true, validate: false)
    Tag.import tags, :ignore => true
    Tag.import(tags, on_duplicate_key_update: [:name])
    Tag.import(tags, ignore: false)
  end
end
"""

CORE_NG = """package app.tag.service;

import core.framework.db.Repository;
import core.framework.inject.Inject;

public class TagService {
    @Inject
    Repository<Tag> tagRepository;

    public boolean add(Tag tag) {
        return tagRepository.insertIgnore(tag);
    }

    public void addAll(List<Tag> tags) {
        tagRepository.batchInsertIgnore(tags);
        tagRepository.insert(tags.get(0));
    }
}
"""

SQLALCHEMY = """from sqlalchemy import delete, update


def touch(session, users, legacy):
    stmt = update(users).where(users.c.id == 1).values(seen=True)
    session.execute(stmt.prefix_with("IGNORE"))
    gone = delete(users).where(users.c.id == 2)
    session.execute(gone.prefix_with("IGNORE", dialect="mysql"))
    session.execute(legacy.insert(prefixes=["IGNORE"]), rows)
"""


def _spots(findings: list, path: str, text: str) -> list[tuple[int, int, str]]:  # type: ignore[type-arg]
    return [(f.line, f.location.column, f.properties["api"]) for f in findings if f.rule == "insert-ignore"]


def test_kysely_and_typeorm() -> None:
    findings = run({"src/tags.ts": KYSELY_TYPEORM})
    assert _spots(findings, "src/tags.ts", KYSELY_TYPEORM) == [
        (*position_of(KYSELY_TYPEORM, "ignore()"), "kysely .ignore()"),
        (*position_of(KYSELY_TYPEORM, "orIgnore()"), "kysely .orIgnore()"),
        (*position_of(KYSELY_TYPEORM, "orIgnore()", 2), "TypeORM .orIgnore()"),
    ]
    assert findings[0].message == "kysely .ignore() builds INSERT IGNORE on MySQL: rows silently lost"


def test_knex_in_javascript() -> None:
    findings = run({"lib/tags.js": KNEX_JS})
    assert _spots(findings, "lib/tags.js", KNEX_JS) == [
        (*position_of(KNEX_JS, "ignore()"), "knex .onConflict().ignore()"),
    ]


def test_activerecord_import() -> None:
    findings = run({"app/services/tag_importer.rb": ACTIVERECORD_IMPORT})
    assert _spots(findings, "", ACTIVERECORD_IMPORT) == [
        (
            *position_of(ACTIVERECORD_IMPORT, "on_duplicate_key_ignore"),
            "activerecord-import .import(on_duplicate_key_ignore: true)",
        ),
        (*position_of(ACTIVERECORD_IMPORT, ":ignore =>"), "activerecord-import .import(ignore: true)"),
    ]
    assert "on_duplicate_key_update" in str(findings[0].properties["fix"])


def test_core_ng_repository() -> None:
    findings = run({"src/main/java/app/tag/service/TagService.java": CORE_NG})
    assert _spots(findings, "", CORE_NG) == [
        (*position_of(CORE_NG, "insertIgnore("), "core-ng Repository.insertIgnore()"),
        (*position_of(CORE_NG, "batchInsertIgnore("), "core-ng Repository.batchInsertIgnore()"),
    ]


def test_sqlalchemy_update_and_delete_through_a_variable_and_legacy_prefixes() -> None:
    findings = [f for f in run({"app/touch.py": SQLALCHEMY}) if f.rule == "insert-ignore"]
    assert [(f.line, f.properties["verb"]) for f in findings] == [
        (position_of(SQLALCHEMY, '"IGNORE")')[0], "UPDATE IGNORE"),
        (position_of(SQLALCHEMY, '"IGNORE", dialect')[0], "DELETE IGNORE"),
        (position_of(SQLALCHEMY, '["IGNORE"]')[0], "INSERT IGNORE"),
    ]
