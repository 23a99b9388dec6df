"""SQL sources: statements from .sql files and from application code, and the schema model."""
