"""SQL in Python code: every literal form, placeholders, ORMs, and the traps."""

from __future__ import annotations

from guardrails.sql.code.python import extract
from tests.helpers import Repo
from tests.test_code_support import position_of, scan, spots, sql_texts

REPOSITORY = '''"""Email storage.

INSERT IGNORE INTO user_emails VALUES (1)   -- a docstring that talks about SQL
"""
import logging

from django.db import connection

log = logging.getLogger(__name__)

UPSERT = "INSERT IGNORE INTO user_emails (user_id, email) VALUES (%s, %s)"


def add_email(cursor, user_id, email):
    # INSERT IGNORE INTO user_emails ... was the old way; a comment is not SQL
    cursor.execute(UPSERT, (user_id, email))
    log.warning("insert ignore failed for %d", user_id)
    logging.info("INSERT IGNORE INTO audit VALUES (1) took too long")
    raise ValueError("Delete the user before re-adding the email")


def copy_emails(cursor, source):
    cursor.execute("""
        INSERT
          IGNORE INTO user_emails (user_id, email)
        SELECT user_id, email FROM %(source)s
    """ % {"source": source}, {})


def tag_emails(cursor, table, tag):
    query = ("UPDATE " + table + " SET tag = %(tag)s "
             "WHERE tag IS NULL")
    cursor.execute(query, {"tag": tag})
    cursor.execute(
        "INSERT "  # the modifier is on the next line
        "IGNORE INTO tags (name) VALUES (%s)",
        (tag,),
    )
    cursor.execute(f"DELETE IGNORE FROM {table} WHERE tag = %s", (tag,))
    cursor.execute("REPLACE INTO t (a) VALUES (:a)" if tag else "SELECT 1")
'''


def test_literal_forms_are_found_at_the_ignore_keyword(repo: Repo) -> None:
    findings = scan(repo, {"app/emails.py": REPOSITORY})
    text = REPOSITORY
    assert spots(findings) == [
        ("app/emails.py", *position_of(text, "IGNORE INTO user_emails (user_id")),  # plain constant
        ("app/emails.py", *position_of(text, "IGNORE INTO user_emails (user_id", 2)),  # triple-quoted
        ("app/emails.py", *position_of(text, "IGNORE INTO tags")),  # implicit concatenation
        ("app/emails.py", *position_of(text, "IGNORE FROM {table}")),  # f-string
    ]
    first = next(f for f in findings if f.rule == "insert-ignore")
    assert first.message.startswith("INSERT IGNORE: ")
    assert "ON DUPLICATE KEY UPDATE" in str(first.properties["fix"])
    # DELETE IGNORE keeps its own advice
    assert [f.message.split(":")[0] for f in findings if f.rule == "insert-ignore"][-1] == "DELETE IGNORE"


def test_traps_are_not_sql() -> None:
    texts = sql_texts(extract("app/emails.py", REPOSITORY))
    # the docstring, the comment, the log messages and the exception's prose yield nothing
    assert not any("audit" in t or "Delete the user" in t or "VALUES (1)" in t for t in texts)
    assert not any("failed" in t for t in texts)
    # while every real query, with its placeholders, is a statement
    assert "UPDATE _p1 SET tag = ? WHERE tag IS NULL" in texts
    assert "REPLACE INTO t (a) VALUES (:a)" in texts
    assert "SELECT 1" in texts
    assert len(texts) == 7


PLACEHOLDERS = """
def queries(db, t):
    db.execute("SELECT * FROM orders WHERE id = ?", (1,))
    db.execute("SELECT * FROM orders WHERE id = $1 AND shop = $2", (1, 2))
    db.execute("SELECT * FROM orders WHERE id = :id", {"id": 1})
    db.execute("SELECT * FROM orders WHERE id = @p1", (1,))
    db.execute("SELECT * FROM orders WHERE id = %s AND note LIKE '%%s%%'", (1,))
    db.execute("SELECT * FROM orders WHERE id = %(id)s", {"id": 1})
    db.execute("SELECT * FROM %s WHERE id = %s" % (t, "%s"), (1,))
    db.execute("SELECT * FROM {} WHERE id = {id}".format(t, id=1))
"""


def test_every_placeholder_style_parses() -> None:
    texts = sql_texts(extract("q.py", PLACEHOLDERS))
    assert len(texts) == 8
    assert texts[4] == "SELECT * FROM orders WHERE id = ? AND note LIKE '%%s%%'"
    assert texts[5] == "SELECT * FROM orders WHERE id = ?"
    assert texts[6] == "SELECT * FROM ? WHERE id = ?"  # "%s" for a table name parses too
    assert texts[7] == "SELECT * FROM _p1 WHERE id = _p2"


ESCAPES = '''
é = "café"; q1 = "INSERT \\x49GNORE INTO t (a) VALUES (1)"
q2 = r"INSERT IGNORE INTO t (a) VALUES ('\\d')"
q3 = "INSERT INTO t (a) VALUES (1) -- no ignore here; \\
IGNORE is in a comment"
q4 = f"""/* {"tag"} */ INSERT INTO t (a) VALUES ('{{1}}', {'x'})"""
'''


def test_escapes_non_ascii_and_continuations_keep_columns() -> None:
    units = [u for u in extract("e.py", ESCAPES) if hasattr(u, "parse")]
    assert len(units) == 4
    ignore = [u.parse().ignore_token for u in units]
    assert ignore[2] is None and ignore[3] is None  # a comment, and an interpolated value
    spot = units[0].location(ignore[0].start, ignore[0].end + 1)
    # the keyword begins at the escape \x49, after a non-ASCII character on the same line
    assert (spot.line, spot.column) == position_of(ESCAPES, "\\x49GNORE")
    assert spot.end_column - spot.column == len("\\x49GNORE")
    spot = units[1].location(ignore[1].start, ignore[1].end + 1)
    assert (spot.line, spot.column) == position_of(ESCAPES, "IGNORE INTO t (a) VALUES ('")
    assert units[1].text.endswith("('\\d')")  # a raw string keeps its backslash
    assert units[3].text == "/* _p1 */ INSERT INTO t (a) VALUES ('{1}', _p2)"


ORM = """
from sqlalchemy import insert, update
from sqlalchemy.sql.expression import text


def save(session, users, rows):
    session.execute(insert(users).values(rows).prefix_with("IGNORE"))
    session.execute(users.insert().prefix_with("IGNORE", dialect="mysql"), rows)
    session.execute(update(users).values(active=False).prefix_with("LOW_PRIORITY"))
    session.execute(update(users).prefix_with('IGNORE').values(active=True))
    session.execute(text("INSERT IGNORE INTO users (id) VALUES (:id)"), rows)
    session.execute(insert(users).prefix_with("/* hint */"))


def django(User, objs, cursor):
    User.objects.bulk_create(objs, ignore_conflicts=True)
    User.objects.bulk_create(objs, ignore_conflicts=False)
    User.objects.raw("SELECT * FROM auth_user WHERE id = %s", [1])
    cursor.execute("INSERT IGNORE INTO auth_user_groups (user_id, group_id) VALUES (%s, %s)", [1, 2])


def peewee(Tweet):
    Tweet.insert_many(rows).on_conflict_ignore().execute()
"""


def test_orm_and_builder_forms(repo: Repo) -> None:
    findings = [f for f in scan(repo, {"app/orm.py": ORM}) if f.rule == "insert-ignore"]
    assert spots(findings) == [
        ("app/orm.py", *position_of(ORM, '"IGNORE"')),
        ("app/orm.py", *position_of(ORM, '"IGNORE"', 2)),
        ("app/orm.py", *position_of(ORM, "'IGNORE'")),
        ("app/orm.py", *position_of(ORM, "IGNORE INTO users")),
        ("app/orm.py", *position_of(ORM, "bulk_create(")),
        ("app/orm.py", *position_of(ORM, "IGNORE INTO auth_user_groups")),
        ("app/orm.py", *position_of(ORM, "on_conflict_ignore")),
    ]
    messages = [f.message for f in findings]
    assert messages[0].startswith('SQLAlchemy .prefix_with("IGNORE") builds INSERT IGNORE')
    assert "on_duplicate_key_update" in str(findings[0].properties["fix"])
    assert messages[2].startswith('SQLAlchemy .prefix_with("IGNORE") builds UPDATE IGNORE')
    # named once, the whole call highlighted (from its name), not only its `True`
    assert messages[4] == "Django bulk_create(ignore_conflicts=True) builds INSERT IGNORE on MySQL: rows silently lost"
    assert "update_conflicts=True" in str(findings[4].properties["fix"])
    true_line, true_column = position_of(ORM, "True)\n")
    assert (findings[4].location.end_line, findings[4].location.end_column) == (true_line, true_column + len("True)"))
    assert messages[6].startswith("peewee .on_conflict_ignore()")


def test_suppression_comment_above_a_multi_line_literal(repo: Repo) -> None:
    code = (
        "def f(cur):\n"
        "    # guardrails:ignore[insert-ignore] duplicates are expected; table has no other constraint\n"
        '    cur.execute("""INSERT\n'
        '        IGNORE INTO seen (id) VALUES (%s)""", (1,))\n'
    )
    findings = scan(repo, {"seen.py": code})
    assert [(f.line, f.suppressed) for f in findings if f.rule == "insert-ignore"] == [(4, True)]


def test_syntax_error_is_a_parse_error_and_other_files_go_on(repo: Repo) -> None:
    findings = scan(
        repo,
        {
            "broken.py": "def f(:\n    pass\n",
            "ok.py": 'Q = "INSERT IGNORE INTO t (a) VALUES (1)"\n',
        },
    )
    errors = [f for f in findings if f.rule == "parse-error"]
    assert [(f.path, f.line) for f in errors] == [("broken.py", 1)]
    assert "Python syntax error" in errors[0].message
    assert spots(findings) == [("ok.py", 1, 13)]


def test_form_feed_line_in_a_non_ascii_file_keeps_columns() -> None:
    # str.splitlines() also breaks at a form feed; Python's own lines end only at newlines
    code = '# café\n\x0c\ndef f(cur):\n    cur.execute("INSERT IGNORE INTO t (a) VALUES (1)")\n'
    (statement,) = [u for u in extract("ff.py", code) if hasattr(u, "parse")]
    location = statement.location()
    assert (location.line, location.column) == position_of(code, "INSERT IGNORE")


def test_builder_update_and_delete_are_not_told_to_upsert(repo: Repo) -> None:
    code = (
        "def f(session, users):\n"
        '    session.execute(update(users).prefix_with("IGNORE").values(a=1))\n'
        '    session.execute(delete(users).prefix_with("IGNORE"))\n'
    )
    findings = [f for f in scan(repo, {"app/m.py": code}) if f.rule == "insert-ignore"]
    assert [f.message.split(" on MySQL")[0] for f in findings] == [
        'SQLAlchemy .prefix_with("IGNORE") builds UPDATE IGNORE',
        'SQLAlchemy .prefix_with("IGNORE") builds DELETE IGNORE',
    ]
    fixes = [str(f.properties["fix"]) for f in findings]
    assert not any("on_duplicate_key_update" in fix for fix in fixes)
    assert "plain UPDATE" in fixes[0] and "plain DELETE" in fixes[1]


def test_log_messages_are_never_sql_however_they_are_built() -> None:
    code = (
        "import logging\nlog = logging.getLogger(__name__)\n"
        "def f(x, table):\n"
        '    log.info("DELETE IGNORE FROM t WHERE id = {}".format(x))\n'
        '    log.warning("INSERT IGNORE INTO %s VALUES (1)" % table)\n'
        '    log.error("retrying", extra={"sql": "UPDATE IGNORE t SET a = 1"})\n'
        '    logging.debug(f"INSERT IGNORE INTO {table} VALUES (1)")\n'
        '    db.execute("INSERT IGNORE INTO real_table VALUES (1)")\n'
    )
    assert sql_texts(extract("app/log.py", code)) == ["INSERT IGNORE INTO real_table VALUES (1)"]


PY312 = """import logging

type UserId = int
type Rows[T] = list[tuple[T, str]]


class EmailRepository[T]:
    def add[K](self, cur, session, emails, user_id: UserId, email: str) -> None:
        logging.info("INSERT IGNORE INTO user_emails failed before")
        cur.execute(
            "INSERT IGNORE INTO user_emails (user_id, email) "
            "VALUES (%s, %s)",
            (user_id, email),
        )
        session.execute(insert(emails).prefix_with("IGNORE"))
"""


def test_a_file_in_newer_python_syntax_is_read_whole(repo: Repo) -> None:
    findings = scan(repo, {"app/emails.py": PY312})
    assert spots(findings) == [
        ("app/emails.py", *position_of(PY312, "IGNORE INTO user_emails (")),
        ("app/emails.py", *position_of(PY312, '"IGNORE"')),  # the ORM call: the tree was read
    ]
    assert [f for f in findings if f.rule == "parse-error"] == []


def test_a_file_python_cannot_parse_still_has_its_sql_strings_checked(repo: Repo) -> None:
    code = (
        'def add(cur, user_id:\n    cur.execute("INSERT IGNORE INTO user_emails (user_id) VALUES (%s)", (user_id,))\n'
    )
    findings = scan(repo, {"app/broken.py": code})
    assert spots(findings) == [("app/broken.py", *position_of(code, "IGNORE"))]
    (error,) = [f for f in findings if f.rule == "parse-error"]
    assert error.message.startswith("Python syntax error: ") and "only its SQL strings were read" in error.message
