"""Synthetic registers and reference sets, with the truth, for testing `ier confirm`.

`generate()` makes a population, records it twice (the register and the
reference, each with its own errors) and writes three CSV files:
`register.csv`, `reference.csv` and `truth.csv` (which person each elector is,
and the recording differences between their two records).
"""

import csv
import random
import shutil
from pathlib import Path

from ier.confirmation import inputs
from ier.confirmation.files import atomic_output
from ier.confirmation.synthetic import addresses, population, recording
from ier.confirmation.synthetic.recording import REFERENCE, REGISTER

# The CSV contract's columns, as `ier confirm` reads them.
REGISTER_COLUMNS = list(inputs.register_file("register.csv").columns)
REFERENCE_COLUMNS = list(inputs.reference_file("reference.csv").columns)
TRUTH_COLUMNS = ["elector_id", "person_id", "differences"]
# Share of the population on the register, and in the reference set.
ON_REGISTER = 0.95
IN_REFERENCE = 0.92


class SyntheticSet:
    """Decide who is recorded where and how; then write the three files."""

    def __init__(self, size: int, seed: int, with_dates_of_birth: bool = True):
        self.rng = random.Random(seed)  # noqa: S311 (test data, not secrets)
        self.seed = seed
        self.with_dates_of_birth = with_dates_of_birth
        people, self.addresses, self.vocabulary = population.make_population(
            self.rng, round(size / ON_REGISTER)
        )
        self.register = self.rng.sample(people, min(size, len(people)))
        self.reference = [p for p in people if self.rng.random() < IN_REFERENCE]
        self.differences = {
            p.key: recording.choose_differences(self.rng, p) for p in people
        }
        self.addresses_of = {
            side: {p.key: self._address_of(p, side) for p in members}
            for side, members in (
                (REGISTER, self.register),
                (REFERENCE, self.reference),
            )
        }
        self._gazetteer = None  # built once, for both sides
        self.new_surnames = {
            p.key: self._new_surname(p)
            for p in people
            if "surname_changed" in self.differences[p.key]
        }

    def _address_of(self, person, side):
        if self.differences[person.key].get("moved") == side:
            return self.rng.randrange(len(self.addresses))
        return person.address

    def _new_surname(self, person):
        new = self.vocabulary.surname(self.rng, person.locale)
        if self.rng.random() < 0.2:
            return f"{person.surname}-{new}"
        return new

    def rows(self, side, members, ids):
        """Yield the CSV rows of `side`, in the order of `members`."""
        if self._gazetteer is None:
            self._gazetteer = addresses.gazetteer(self.addresses)
        written = addresses.recorded_addresses(
            self._gazetteer,
            set(self.addresses_of[side].values()),
            side,
            seed=self.seed * 2 + (side == REFERENCE),
        )
        for person in members:
            yield [
                ids[person.key],
                *self._person_fields(person, side),
                *self._address_fields(person, side, written),
            ]

    def _person_fields(self, person, side):
        differences = self.differences[person.key]
        first, middles, surname = recording.recorded_names(
            self.rng, person, differences, side, self.new_surnames.get(person.key)
        )
        born = recording.recorded_date_of_birth(self.rng, person, differences, side)
        upper = recording.writes_upper_case(self.rng, side)
        return [
            recording.styled(self.rng, first, upper),
            recording.styled(self.rng, middles, upper),
            recording.styled(self.rng, surname, upper),
            born if self.with_dates_of_birth else "",
        ]

    def _address_fields(self, person, side, written):
        line_1, line_2, town, postcode = written[self.addresses_of[side][person.key]]
        if self.differences[person.key].get("postcode_missing") == side:
            postcode = ""
        return [line_1, line_2, town, recording.messy_postcode(self.rng, postcode)]

    def truth_rows(self, elector_ids, person_ids):
        in_reference = {p.key for p in self.reference}
        for person in self.register:
            differences = self.differences[person.key]
            tags = sorted([*differences, *person.tags])
            matched = person.key in in_reference
            yield [
                elector_ids[person.key],
                person_ids[person.key] if matched else "",
                "|".join(tags) if matched else "",
            ]


def _identifiers(rng, members, prefix):
    """Give people ids in a random order, so that an id says nothing about truth."""
    numbers = list(range(1, len(members) + 1))
    rng.shuffle(numbers)
    return {
        p.key: "%s%08d" % (prefix, n) for p, n in zip(members, numbers, strict=True)
    }


def _write_csv(path: Path, header, rows):
    with (
        atomic_output(path) as partial,
        partial.open("w", encoding="utf-8", newline="") as handle,
    ):
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def generate(
    size: int, out_dir: Path, seed: int = 1, with_dates_of_birth: bool = True
) -> dict[str, int]:
    """Write register.csv, reference.csv and truth.csv for about `size` electors
    into `out_dir`; return the row counts. The same seed gives the same files."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    synthetic = SyntheticSet(size, seed, with_dates_of_birth)
    elector_ids = _identifiers(synthetic.rng, synthetic.register, "E")
    person_ids = _identifiers(synthetic.rng, synthetic.reference, "P")
    synthetic.rng.shuffle(synthetic.reference)
    _write_csv(
        out_dir / "register.csv",
        REGISTER_COLUMNS,
        synthetic.rows(REGISTER, synthetic.register, elector_ids),
    )
    _write_csv(
        out_dir / "reference.csv",
        REFERENCE_COLUMNS,
        synthetic.rows(REFERENCE, synthetic.reference, person_ids),
    )
    synthetic._gazetteer = None
    _write_csv(
        out_dir / "truth.csv",
        TRUTH_COLUMNS,
        synthetic.truth_rows(elector_ids, person_ids),
    )
    matched = sum(1 for p in synthetic.register if p.key in person_ids)
    return {
        "register": len(synthetic.register),
        "reference": len(synthetic.reference),
        "true_matches": matched,
    }


def drop_dates_of_birth(source: Path, out_dir: Path) -> None:
    """Write into `out_dir` the set in `source` with its dates of birth left empty.

    A seed draws the same people and the same recording differences with or
    without dates of birth (the dates are drawn either way), so this writes the
    very files `generate(..., with_dates_of_birth=False)` would, at the cost of
    copying them instead of drawing a population again.
    """
    source, out_dir = Path(source), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in ("register.csv", "reference.csv"):
        with (source / name).open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            column = header.index("date_of_birth")
            _write_csv(
                out_dir / name,
                header,
                ([*row[:column], "", *row[column + 1 :]] for row in reader),
            )
    with atomic_output(out_dir / "truth.csv") as partial:
        shutil.copyfile(source / "truth.csv", partial)
