"""ddl-review's verdicts for MariaDB 10.6, 10.11, 11.4 and 11.8 against those servers' recorded answers.

The answers (tests/fixtures/ddl/mariadb-answers.tsv) were recorded by ``python -m
benchmarks.record_ddl PATH/TO/mariadbd`` from Ubuntu's and Debian's server packages; a case
added to tests/ddl_cases.py without an answer from every server fails here until it is recorded.
"""

from __future__ import annotations

import pytest

from tests.ddl_cases import cases, exception
from tests.ddl_server import recorded
from tests.test_ddl_agreement import rule_verdict

ANSWERS = recorded()
SERVERS = sorted(ANSWERS)


def _major_minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


def test_the_recording_covers_the_four_servers() -> None:
    assert sorted(_major_minor(v) for v in SERVERS) == ["10.11", "10.6", "11.4", "11.8"]


@pytest.mark.parametrize("version", SERVERS, ids=_major_minor)
def test_verdicts_agree_with_the_recorded_server(version: str) -> None:
    short = _major_minor(version)
    answers = ANSWERS[version]
    missing = [case for case, _, _, _ in cases() if case not in answers]
    assert not missing, f"{len(missing)} cases have no answer from {version}: run benchmarks/record_ddl.py"
    disagree = []
    for case, create, clause, _ in cases():
        algorithm, lock, _ = rule_verdict(create, clause, f"mariadb-{short}")
        if answers[case] != f"{algorithm} {lock}" and not exception(case, short):
            disagree.append(f"{case}: MariaDB {answers[case]}, ddl-review {algorithm} {lock}")
    assert not disagree, f"{len(disagree)} of {len(answers)} disagree with {version}:\n" + "\n".join(disagree)


def test_mariadb_11_copies_online_where_10_takes_a_shared_lock() -> None:
    case = "plain: MODIFY display_name VARCHAR(80)"
    by_server = {_major_minor(v): ANSWERS[v][case] for v in SERVERS}
    assert by_server == {"10.6": "COPY SHARED", "10.11": "COPY SHARED", "11.4": "COPY NONE", "11.8": "COPY NONE"}
    create, clause = next((c[1], c[2]) for c in cases() if c[0] == case)
    assert rule_verdict(create, clause, "mariadb-10.6")[:2] == ("COPY", "SHARED")
    assert rule_verdict(create, clause, "mariadb-11.4")[:2] == ("COPY", "NONE")
