"""How much of sqlfluff's valid MySQL and MariaDB guardrails parses.

    python benchmarks/bench_parse_rate.py /tmp/sqlfluff/test/fixtures/dialects/mysql \\
        /tmp/sqlfluff/test/fixtures/dialects/mariadb [--failures]

sqlfluff's dialect fixtures pair each ``.sql`` file with a ``.yml`` parse tree; a tree
without an ``unparsable`` section means sqlfluff's authors hold every statement of the
file valid. Each such file is split as guardrails splits .sql files, and each statement
goes through guardrails' parser (the one every SQL rule reads). Prints, per directory and
in total, the statements parsed out of those seen, and with ``--failures`` each statement
that did not parse with the parser's reason. Nothing from sqlfluff is kept: the fixtures
are read from the paths given (sqlfluff is MIT-licensed).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from guardrails.sql.positions import FileOffsets, line_starts
from guardrails.sql.source import decode_sql
from guardrails.sql.split import split_statements
from guardrails.sql.statement import SqlParseError, SqlStatement
from guardrails.sql.templating import normalise_placeholders


def valid_fixtures(directory: Path) -> list[Path]:
    """The .sql fixtures whose .yml parse tree has no unparsable section."""
    out = []
    for sql in sorted(directory.glob("*.sql")):
        tree = sql.with_suffix(".yml")
        if tree.exists() and "unparsable" not in tree.read_text(encoding="utf-8", errors="replace"):
            out.append(sql)
    return out


def statements(path: Path) -> list[SqlStatement]:
    """The statements of a fixture, as guardrails' sql input reads them."""
    text, _ = decode_sql(path.read_bytes())
    starts = line_starts(text)
    out = []
    for chunk in split_statements(text):
        if chunk.unterminated:
            out.append(SqlStatement(str(path), "'", FileOffsets(starts, chunk.start)))  # counts as a failure
            continue
        normalised, _ = normalise_placeholders(chunk.text, "name", printf=False)
        out.append(SqlStatement(str(path), normalised, FileOffsets(starts, chunk.start)))
    return out


def measure(directory: Path, failures: list[str]) -> tuple[int, int, int]:
    """(files, statements, parsed) of one fixture directory; failures appended as text."""
    files = valid_fixtures(directory)
    seen = parsed = 0
    for path in files:
        for statement in statements(path):
            seen += 1
            try:
                statement.parse()
                parsed += 1
            except SqlParseError as exc:
                line, _ = statement.positions(0)
                head = " ".join(statement.text.split())[:100]
                failures.append(f"{path.parent.name}/{path.name}:{line}: {exc}\n    {head}")
    return len(files), seen, parsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directories", nargs="+", type=Path, help="sqlfluff test/fixtures/dialects/<dialect>")
    parser.add_argument("--failures", action="store_true", help="print each statement that did not parse")
    args = parser.parse_args(argv)
    failures: list[str] = []
    total_seen = total_parsed = 0
    for directory in args.directories:
        if not directory.is_dir():
            print(f"{directory}: not a directory", file=sys.stderr)
            return 2
        files, seen, parsed = measure(directory, failures)
        total_seen += seen
        total_parsed += parsed
        rate = 100 * parsed / max(seen, 1)
        print(f"{directory.name}: {parsed}/{seen} statements parsed ({rate:.1f}%), {files} files")
    print(f"total: {total_parsed}/{total_seen} ({100 * total_parsed / max(total_seen, 1):.1f}%)")
    if args.failures:
        print("\n".join(failures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
