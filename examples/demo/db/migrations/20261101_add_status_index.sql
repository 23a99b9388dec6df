-- Found: ALTER IGNORE silently drops the duplicate rows the new unique key rejects.
ALTER IGNORE TABLE order_events ADD UNIQUE KEY uk_order_status (order_id, event);
