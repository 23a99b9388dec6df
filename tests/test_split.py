"""Splitting .sql files into statements, as the mysql client does, with exact positions."""

from __future__ import annotations

from guardrails.sql.source import statements_in_sql
from guardrails.sql.split import split_statements
from guardrails.sql.statement import SqlStatement


def texts(src: str) -> list[str]:
    return [c.text for c in split_statements(src)]


def test_semicolons_inside_strings_identifiers_and_comments_do_not_split() -> None:
    src = (
        "SELECT 'a;b', \"c;d\", `e;f` FROM t; -- trailing; comment\n"
        "/* block; comment */ SELECT 'it''s;' , 'back\\'slash;' FROM u;\n"
        "# hash; comment\nSELECT 1"
    )
    assert texts(src) == [
        "SELECT 'a;b', \"c;d\", `e;f` FROM t",
        "SELECT 'it''s;' , 'back\\'slash;' FROM u",
        "SELECT 1",
    ]


def test_delimiter_blocks_keep_procedure_bodies_whole() -> None:
    src = (
        "DELIMITER //\n"
        "CREATE PROCEDURE p() BEGIN INSERT INTO t VALUES (1); SELECT 2; END//\n"
        "delimiter ;\n"
        "SELECT 3;\n"
        "DELIMITER $$\nCREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.a = 1; END $$\n"
    )
    assert texts(src) == [
        "CREATE PROCEDURE p() BEGIN INSERT INTO t VALUES (1); SELECT 2; END",
        "SELECT 3",
        "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.a = 1; END",
    ]


def test_version_comments_are_code_with_markers_blanked_to_keep_offsets() -> None:
    src = "CREATE TABLE t (a INT) /*!50100 PARTITION BY HASH (a) PARTITIONS 4 */;\n/*!40101 SET NAMES utf8 */;"
    chunks = split_statements(src)
    assert chunks[0].text == "CREATE TABLE t (a INT)          PARTITION BY HASH (a) PARTITIONS 4   "
    assert len(chunks[0].text) == chunks[0].end - chunks[0].start
    assert chunks[1].text.strip() == "SET NAMES utf8"


def test_client_commands_are_not_statements() -> None:
    src = "source employees.dump\nUSE shop\nSELECT 1;\n\\. other.sql\n"
    assert texts(src) == ["SELECT 1"]


def test_double_dash_needs_a_space_to_be_a_comment_inside_a_statement() -> None:
    # MySQL reads `1--1` as 1 - (-1): no comment, no split. Between statements `--split`
    # (a migration tool's marker) cannot be an expression, so it is a comment.
    assert texts("SELECT 1--1;\n--split\nSELECT 2; --comment;\n") == ["SELECT 1--1", "SELECT 2"]


def test_unterminated_quote_is_reported_at_its_statement() -> None:
    chunks = split_statements("SELECT 1;\nSELECT 'oops FROM t;\nSELECT 2;")
    assert [c.unterminated for c in chunks] == ["", "quote"]


def test_statement_positions_are_file_lines_and_columns() -> None:
    src = "-- header\n\n  SELECT 1;\nINSERT INTO t\n  VALUES (1);"
    found = [s for s in statements_in_sql("q.sql", src) if isinstance(s, SqlStatement)]
    assert [s.location().line for s in found] == [3, 4]
    assert found[0].location().column == 3
    second = found[1]
    values_at = second.text.index("VALUES")
    loc = second.location(values_at, values_at + len("VALUES"))
    assert (loc.line, loc.column, loc.end_line, loc.end_column) == (5, 3, 5, 9)


def test_mariadb_only_comments_are_comments_to_mysql() -> None:
    src = "CREATE TABLE g (geo geometry /*M! REF_SYSTEM_ID=4326 */ /*!80003 SRID 4326 */);"
    (chunk,) = split_statements(src)
    assert "/*M! REF_SYSTEM_ID=4326 */" in chunk.text and "SRID 4326" in chunk.text and "/*!" not in chunk.text


def test_client_command_after_a_comment_and_a_quoted_delimiter() -> None:
    src = '/* hello */   USE product # comment\nSELECT 1;\ndelimiter    "$$"\nSELECT 2$$\nDELIMITER ;\nSELECT 3;'
    assert texts(src) == ["SELECT 1", "SELECT 2", "SELECT 3"]
