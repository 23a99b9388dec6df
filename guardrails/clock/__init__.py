"""Clock reads: where application code and SQL read the wall clock (the ``clock_reads`` input)."""
