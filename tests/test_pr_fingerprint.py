"""A query keeps its fingerprint when reformatted or given other values, not when reshaped."""

from __future__ import annotations

import pytest

from guardrails.sql.fingerprint import fingerprint, has_placeholders, normalize

BASE = "SELECT o.id, u.email FROM orders o JOIN users u ON u.id = o.user_id WHERE o.status = 'paid'"


@pytest.mark.parametrize(
    "same",
    [
        # whitespace, line breaks, case, comments and identifier quoting
        "select o.id,\n       u.email\n  from `orders` o\n  join `users` u on u.id = o.user_id\n"
        " where o.status = 'paid' -- only paid ones\n",
        'SELECT `o`.`id`, `u`.`email` FROM ORDERS O JOIN Users U ON U.ID = O.USER_ID WHERE O.STATUS = "open";',
        # a literal replaced by a placeholder of any driver style
        BASE.replace("'paid'", "?"),
        BASE.replace("'paid'", "%s"),
        BASE.replace("'paid'", "%(status)s"),
        BASE.replace("'paid'", ":status"),
        BASE.replace("'paid'", "$1"),
        "/* report */ " + BASE + ";",
    ],
)
def test_reformatting_or_other_values_keep_the_fingerprint(same: str) -> None:
    assert fingerprint(same) == fingerprint(BASE)


@pytest.mark.parametrize(
    "different",
    [
        BASE.replace("o.status", "o.state"),  # another column
        BASE.replace("JOIN", "LEFT JOIN"),  # another join
        BASE + " ORDER BY o.id",  # another clause
        BASE.replace("FROM orders", "FROM orders_archive"),  # another table
        BASE.replace("= 'paid'", "<> 'paid'"),  # another operator
    ],
)
def test_a_change_of_shape_changes_the_fingerprint(different: str) -> None:
    assert fingerprint(different) != fingerprint(BASE)


def test_list_lengths_and_numbers_are_data() -> None:
    assert fingerprint("SELECT * FROM t WHERE id IN (1, 2, 3)") == fingerprint("select * from t where id in (?)")
    assert fingerprint("INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y'), (3, 'z')") == fingerprint(
        "INSERT INTO t (a, b) VALUES (?, ?)"
    )
    assert fingerprint("SELECT * FROM t WHERE a = -5 LIMIT 10") == fingerprint("SELECT * FROM t WHERE a = 7 LIMIT 20")
    # a minus between operands stays an operator
    assert normalize("SELECT a - 1 FROM t") == "select a - ? from t"


def test_fingerprint_is_short_hex_and_survives_untokenisable_text() -> None:
    value = fingerprint(BASE)
    assert len(value) == 12 and int(value, 16) >= 0
    assert fingerprint("SELECT 'unterminated FROM t") == fingerprint("select  'unterminated from T")


def test_placeholders_are_told_from_literals() -> None:
    assert has_placeholders("SELECT * FROM t WHERE a = ?")
    assert has_placeholders("SELECT * FROM t WHERE a = %(a)s")
    assert has_placeholders("SELECT * FROM t WHERE a = :a")
    assert not has_placeholders("SELECT '?' FROM t WHERE a = 1 AND b = -2")
