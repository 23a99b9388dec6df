-- Queries of the orders service.

-- Found: the incident. Duplicate events were meant to be skipped, but a too-long
-- event name was silently truncated and a NULL customer silently became 0.
INSERT IGNORE INTO order_events (order_id, event) VALUES (?, ?);

-- Found: the same through UPDATE.
UPDATE IGNORE order_events SET event = 'shipped' WHERE order_id = ?;

-- Fine: duplicates handled explicitly.
INSERT INTO order_events (order_id, event) VALUES (?, ?)
ON DUPLICATE KEY UPDATE event = VALUES(event);

-- Fine: the words are in a string, a quoted column and this comment (INSERT IGNORE).
SELECT 'INSERT IGNORE INTO x' AS note, `ignore` FROM order_events WHERE order_id = ?;

-- Suppressed, with a reason reviewers can read.
-- guardrails:ignore[insert-ignore] replaying an idempotent event log; every column is NOT NULL with a default
INSERT IGNORE INTO order_events (order_id, event) SELECT order_id, event FROM order_events_replay;

-- Found: a partitioned table queried without its partitioning column.
SELECT id, status FROM orders WHERE customer_id = ?;

-- Fine: prunes to one month.
SELECT id, status FROM orders WHERE customer_id = ? AND created_at >= '2026-11-01' AND created_at < '2026-12-01';
