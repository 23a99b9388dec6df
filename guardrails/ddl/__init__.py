"""ddl-review's machinery: the migrations input, the ALTER reader, the verdict matrix and the operational checks."""
