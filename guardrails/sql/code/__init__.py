"""SQL where it lives in application code: string literals and query-builder calls.

One module per language turns a file's text into ``SqlStatement`` units (literals
that parse as SQL, located to the exact line and column of every character) and
``QueryBuilderCall`` units (APIs that set a modifier such as IGNORE). Each exposes
``extract(path, text)``; ``guardrails.languages`` says which module reads which
file extension.
"""
