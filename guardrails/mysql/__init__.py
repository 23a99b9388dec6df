"""Live database access: the DSN, the safe EXPLAIN runner and the live checks built on it."""
