"""Order events, Python side of the demo service.

INSERT IGNORE INTO order_events ...   (fine: a docstring is not a query)
"""

from __future__ import annotations

import logging

from sqlalchemy import insert

log = logging.getLogger(__name__)


def record(cursor, order_id: int, event: str) -> None:
    # Found: implicit concatenation; the finding points at the second line.
    cursor.execute(
        "INSERT "
        "IGNORE INTO order_events (order_id, event) VALUES (%s, %s)",
        (order_id, event),
    )
    # Fine: a log message.
    log.warning("insert ignore failed for order %d", order_id)


def replay(cursor, table: str) -> None:
    # Found: an f-string; the table name is an interpolation.
    cursor.execute(f"""
        INSERT IGNORE INTO {table} (order_id, event)
        SELECT order_id, event FROM order_events_replay
    """)


def record_many(session, order_events, rows) -> None:
    # Found: SQLAlchemy builds INSERT IGNORE without the words in a string.
    session.execute(insert(order_events).prefix_with("IGNORE"), rows)


def upsert(cursor, order_id: int, event: str) -> None:
    # Fine: duplicates handled explicitly.
    cursor.execute(
        """INSERT INTO order_events (order_id, event) VALUES (%(id)s, %(event)s)
        ON DUPLICATE KEY UPDATE event = VALUES(event)""",
        {"id": order_id, "event": event},
    )
