"""Generated and vendored code: skipped by default (``sql.include_generated`` turns them back on).

Nobody fixes a finding in a file a generator rewrites or in a copied dependency;
the fix belongs in the generator's input or upstream.
"""

from __future__ import annotations

VENDOR_DIRS = ("vendor", "third_party", "node_modules", "site-packages")
_HEADER_LINES = 40  # Go's convention: the marker comes before the package clause


def is_vendored(path: str) -> bool:
    """Under a vendor directory, or a minified bundle (``app.min.js``): nobody's source."""
    return any(part in VENDOR_DIRS for part in path.split("/")[:-1]) or path.endswith(".min.js")


def is_generated(text: str) -> bool:
    """Go's convention (https://go.dev/s/generatedcode): a line
    ``// Code generated ... DO NOT EDIT.``; the same words after ``#`` in other
    languages, and ``@generated`` markers."""
    for number, line in enumerate(text.splitlines()):
        if number >= _HEADER_LINES:
            break
        stripped = line.strip()
        for opener in ("//", "#", "/*", "*", "--"):
            if stripped.startswith(opener):
                body = stripped[len(opener) :].strip()
                if body.startswith("Code generated") and body.rstrip("*/ ").endswith("DO NOT EDIT."):
                    return True
                if body.startswith("@generated"):
                    return True
                break
    return False
