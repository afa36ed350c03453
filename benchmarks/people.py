"""Made-up applicants for the journey benchmarks and the load test, and the check of
what they left in the database.

A deadline night has no two applications alike, so by default every applicant is a
different person from the synthetic population (`ier.identity.synthetic`: distinct
names, dates of birth and NINOs) living at a different address from the synthetic
country the database was seeded with (a different postcode each, as far as the
seeded postcodes go). `same_person` gives the applicants the benchmarks used before:
one postcode, one address and one NINO for all, with only the surname and the year
of birth varying, which lets the service's caches flatter the figures.

    python benchmarks/people.py check EXPECTED.json [--same-person]

checks, in a process set up like the service's (IER_MODE, IER_VAR_DIR,
DATABASE_URL), that the applications listed in EXPECTED.json (reference to the
person sent) are stored, once each, as sent, and that no other application is: it
prints what is wrong and exits non-zero if anything is.
"""

import argparse
import json
import random
import sys
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

#: The seed of the synthetic country and population the demo database is made with.
SEED = 2014
#: England's councils in the reference data, roughly: one postcode each per
#: `--postcodes-per-authority`.
ENGLISH_COUNCILS = 290


@dataclass(frozen=True)
class Person:
    first_name: str
    middle_names: str
    last_name: str
    date_of_birth: date
    nino: str
    postcode: str
    uprn: int

    def as_json(self) -> dict:
        return {**asdict(self), "date_of_birth": self.date_of_birth.isoformat()}

    @classmethod
    def from_json(cls, data: dict) -> "Person":
        return cls(
            **{**data, "date_of_birth": date.fromisoformat(data["date_of_birth"])}
        )


def postcodes_per_council(applications: int) -> int:
    """How many postcodes a council needs for `applications` distinct postcodes in
    England (`ier seed --postcodes-per-authority`)."""
    return max(1, -(-applications // ENGLISH_COUNCILS))


def spread(addresses: list[tuple[str, int]], count: int, seed: int) -> list[tuple]:
    """`count` different addresses, each at a postcode not yet used while there are
    any, in a shuffled order."""
    by_postcode: dict[str, list[int]] = {}
    for postcode, uprn in sorted(addresses):
        by_postcode.setdefault(postcode, []).append(uprn)
    rng = random.Random(seed)
    postcodes = list(by_postcode)
    rng.shuffle(postcodes)
    for uprns in by_postcode.values():
        rng.shuffle(uprns)
    chosen: list[tuple[str, int]] = []
    round_ = 0
    while len(chosen) < count:
        before = len(chosen)
        for postcode in postcodes:
            if round_ < len(by_postcode[postcode]) and len(chosen) < count:
                chosen.append((postcode, by_postcode[postcode][round_]))
        if len(chosen) == before:
            raise SystemExit(
                "the database has %d addresses; %d applicants need one each"
                % (len(addresses), count)
            )
        round_ += 1
    return chosen


def _letters(number: int) -> str:
    return "".join(chr(65 + int(d)) for d in str(number))


def one_for_all(home: tuple[str, int], number: int) -> Person:
    """The applicant of the earlier figures: at `home`, with one NINO; only the
    surname and the year of birth vary with `number`."""
    postcode, uprn = home
    return Person(
        "Alex",
        "",
        "Example" + _letters(number),
        date(1950 + number % 50, 7, 3),
        "AB123456C",
        postcode,
        uprn,
    )


def applicants(
    addresses: list[tuple[str, int]],
    count: int,
    *,
    first: int = 0,
    same_person: bool = False,
) -> list[Person]:
    """Applicants `first` to `first + count - 1`: each a different person at a
    different address, or with `same_person` the applicants of the earlier figures."""
    if same_person:
        home = min(addresses, key=lambda a: a[1])
        return [one_for_all(home, number) for number in range(first, first + count)]
    from ier.identity.synthetic import make_population, spaced_nino

    people = make_population(first + count, SEED)[first:]
    places = spread(addresses, first + count, SEED)[first:]
    return [
        Person(
            p.first_name,
            p.middle_names,
            p.last_name,
            p.date_of_birth,
            spaced_nino(p.nino, p.nino_suffix),
            postcode,
            uprn,
        )
        for p, (postcode, uprn) in zip(people, places, strict=True)
    ]


def english_addresses_sqlite(database: Path) -> list[tuple[str, int]]:
    import sqlite3

    with sqlite3.connect(database) as db:
        return db.execute(
            "SELECT a.postcode, a.uprn FROM geography_address a"
            " JOIN geography_authority g ON g.id = a.authority_id"
            " WHERE g.nation = 'England' AND a.synthetic ORDER BY a.uprn"
        ).fetchall()


def english_addresses() -> list[tuple[str, int]]:
    """The synthetic country's addresses in England, through Django."""
    from ier.geography.models import Address

    return [
        (postcode, uprn)
        for postcode, uprn in Address.objects.filter(
            synthetic=True, authority__nation="England"
        )
        .order_by("uprn")
        .values_list("postcode", "uprn")
    ]


def check_stored(
    expected: dict[str, Person],
    same_person: bool,
    earlier: Iterable[str] = (),
    unfinished: Iterable[Person] = (),
) -> list[str]:
    """What is wrong with the stored applications, given the person sent for each
    reference: missing, stored twice, stored differently, an application nobody
    sent (but those stored `earlier`, and those of the `unfinished`: people stopped
    between sending and seeing their reference), or (different people) one flagged
    as a possible duplicate."""
    from collections import Counter

    from ier.registration.models import Application
    from ier.registration.validators import normalise_nino

    problems: list[str] = []
    stored = Counter(Application.objects.values_list("reference", flat=True))
    doubled = [ref for ref, n in stored.items() if n > 1]
    missing = sorted(set(expected) - set(stored))
    unexpected = set(stored) - set(expected) - set(earlier)
    stopped = {(p.first_name, p.last_name, p.uprn): p for p in unfinished}
    for reference, *who in Application.objects.filter(
        reference__in=list(unexpected)
    ).values_list("reference", "first_name", "last_name", "address_uprn"):
        person = stopped.pop(tuple(who), None)
        if person is not None:
            unexpected.discard(reference)
            expected = {**expected, reference: person}
    if doubled:
        problems.append("%d references stored twice or more" % len(doubled))
    if missing:
        problems.append("%d applications sent but not stored" % len(missing))
    if unexpected:
        problems.append("%d applications stored that nobody sent" % len(unexpected))
    different = 0
    flagged = 0
    for application in Application.objects.filter(reference__in=list(expected)):
        person = expected[application.reference]
        sent = (
            person.first_name,
            person.middle_names,
            person.last_name,
            person.date_of_birth,
            normalise_nino(person.nino),
            person.postcode,
            person.uprn,
        )
        kept = (
            application.first_name,
            application.middle_names,
            application.last_name,
            application.date_of_birth,
            application.nino,
            application.address_postcode,
            application.address_uprn,
        )
        different += sent != kept
        flagged += application.possible_duplicate
    if different:
        problems.append("%d applications not stored as sent" % different)
    if flagged and not same_person:
        problems.append("%d different people flagged as duplicates" % flagged)
    people = {
        (p.first_name, p.last_name, p.date_of_birth, p.nino) for p in expected.values()
    }
    if not same_person and len(people) != len(expected):
        problems.append("the benchmark sent the same person twice")
    return problems


def write_expected(
    path: Path, expected: dict[str, Person], unfinished: Iterable[Person]
) -> None:
    path.write_text(
        json.dumps(
            {
                "sent": {ref: p.as_json() for ref, p in expected.items()},
                "unfinished": [p.as_json() for p in unfinished],
            }
        )
    )


def read_expected(path: Path) -> tuple[dict[str, Person], list[Person]]:
    data = json.loads(path.read_text())
    return (
        {ref: Person.from_json(p) for ref, p in data["sent"].items()},
        [Person.from_json(p) for p in data["unfinished"]],
    )


def check_in_subprocess(
    env: dict,
    expected: dict[str, Person],
    same_person: bool,
    folder: Path,
    unfinished: Iterable[Person] = (),
) -> list[str]:
    """`check_stored` in a process set up by `env` (the service's settings)."""
    import subprocess

    path = folder / "expected.json"
    write_expected(path, expected, unfinished)
    command = [sys.executable, __file__, "check", str(path)]
    if same_person:
        command.append("--same-person")
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        return ["the check failed to run:\n" + done.stderr[-2000:]]
    return [line for line in done.stdout.splitlines() if line]


def main() -> int:
    parser = argparse.ArgumentParser(description="check stored applications")
    parser.add_argument("action", choices=["check"])
    parser.add_argument("expected", type=Path)
    parser.add_argument("--same-person", action="store_true")
    args = parser.parse_args()
    import django

    django.setup()
    expected, unfinished = read_expected(args.expected)
    problems = check_stored(expected, args.same_person, unfinished=unfinished)
    sys.stdout.write("".join(p + "\n" for p in problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
