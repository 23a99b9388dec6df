"""SQL that does not parse (templates, placeholders standing for clauses) is still read:
IGNORE is found at its exact place and one parse-error notice says what was not read."""
# guardrails:ignore-file[insert-ignore] the snippets quote the statements under test

from __future__ import annotations

from guardrails.findings import Severity
from guardrails.testing import run
from tests.test_code_support import position_of

# Modelled on gh-ost's go/sql/builder.go: the row copy is one Sprintf whose verbs stand for
# names, column lists and whole conditions.
GH_OST = """package sql

import "fmt"

func BuildRangeInsertQuery(databaseName, originalTableName, ghostTableName string, sharedColumnsListing string,
	uniqueKey string, rangeStartComparison string, rangeEndComparison string, transactionalClause string) string {
	return fmt.Sprintf(`
		insert /* gh-ost %s.%s */ ignore
		into
			%s.%s
			(%s)
		(
			select %s from %s.%s
			force index (%s)
			where (%s and %s)
			%s
		)`,
		databaseName, originalTableName, databaseName, ghostTableName, sharedColumnsListing,
		sharedColumnsListing, databaseName, originalTableName, uniqueKey,
		rangeStartComparison, rangeEndComparison, transactionalClause)
}
"""

# Modelled on phabricator's queryfx() callers (%T table, %R table reference, %LQ list of
# clauses, %d integer) and a Doctrine DBAL repository that splices a VALUES list in.
PHP = """<?php
final class PhabricatorEdgeEditor {
  private function writeEdges(AphrontDatabaseConnection $conn, array $sql, $table) {
    queryfx(
      $conn,
      'INSERT IGNORE INTO %T (src, type, dst, dateCreated, seq) VALUES %LQ',
      $table,
      $sql);
    queryfx($conn, 'UPDATE IGNORE %R SET name = %s WHERE id = %d', $this, $name, $id);
    queryfx($conn, 'DELETE FROM %T WHERE %LO', $table, $where);
  }
}

final class TagRepository {
  public function link(\\Doctrine\\DBAL\\Connection $connection, array $rows): void {
    $connection->executeStatement(
      sprintf('INSERT IGNORE INTO %s (%s) VALUES %s', self::TABLE, implode(', ', self::COLUMNS), $values),
      $params,
    );
  }
}
"""

PROSE = """def sync(cur, user):
    if not user:
        raise ValueError("INSERT IGNORE failed for user, retry later")
    notes = ["update failed, set it again", "delete the user from the list", "select one from many"]
    cur.execute("SELECT id FROM users WHERE id = %s", (user,))
"""


def test_gh_ost_row_copy_builder_is_found_at_its_ignore_with_one_notice() -> None:
    findings = run({"go/sql/builder.go": GH_OST}, {"rules": {"parse-error": "error"}})
    (ignore,) = [f for f in findings if f.rule == "insert-ignore"]
    assert (ignore.line, ignore.location.column) == position_of(GH_OST, "ignore\n")
    assert ignore.location.end_column - ignore.location.column == len("ignore")
    assert ignore.properties["read"] == "keywords"
    (notice,) = [f for f in findings if f.rule == "parse-error"]
    assert notice.severity == Severity.NOTICE
    assert notice.message.startswith("SQL read by keyword only (")
    assert notice.line > ignore.line  # at the place the parser stopped, inside the literal


def test_phabricator_verbs_and_a_spliced_values_list() -> None:
    findings = run({"src/edges.php": PHP})
    assert [(f.line, f.location.column) for f in findings if f.rule == "insert-ignore"] == [
        position_of(PHP, "IGNORE INTO %T"),
        position_of(PHP, "IGNORE %R"),
        position_of(PHP, "IGNORE INTO %s"),
    ]
    assert [f for f in findings if f.rule == "parse-error"] == []  # verbs read as names: they parse


def test_prose_that_starts_like_sql_is_neither_sql_nor_a_parse_error() -> None:
    assert run({"app/sync.py": PROSE}) == []


def test_templated_sql_files_read_their_placeholders_as_names() -> None:
    text = (
        "INSERT IGNORE INTO {$NAMESPACE}_user.user_email (userPHID, address) VALUES (:phid, %(address)s);\n"
        "UPDATE IGNORE {{ schema }}.accounts SET plan = ${plan} WHERE id = :id;\n"
        "DELETE FROM {$NAMESPACE}_user.user_email WHERE address = '{$kept}';\n"
    )
    findings = run({"resources/sql/autopatches/20250101.email.sql": text})
    assert [(f.rule, f.line, f.location.column) for f in findings] == [
        ("insert-ignore", 1, 8),
        ("insert-ignore", 2, 8),
    ]


def test_a_templated_sql_file_that_still_does_not_parse_keeps_its_ignore() -> None:
    text = "INSERT IGNORE INTO {$NAMESPACE}_x.edge (src, dst) {{ rows }} WHERE 1;\n"
    findings = run({"db/edge.sql": text})
    assert [(f.rule, f.line, f.location.column) for f in findings] == [
        ("insert-ignore", 1, 8),
        ("parse-error", 1, text.index("{{") + 1),
    ]


UI_STRINGS = """export const messages = [
  "Select an option from the list below.",
  "Select a user from the dropdown, then press OK",
  "Delete from cart?",
  "Update your profile and set a password = strong",
  "Insert into the slot the value (any) you like",
  "Create a new table for your team",
  "Drop table rows here to upload them",
  "With all your friends as guests",
  "Alter table settings in the admin panel",
];
"""


def test_interface_text_that_starts_with_a_sql_word_is_not_reported() -> None:
    assert run({"src/messages.js": UI_STRINGS}) == []
