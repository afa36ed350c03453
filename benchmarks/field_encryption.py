"""What field-level encryption costs: encrypting and decrypting one value, and
reading applications' dates of birth and journey details through the encrypted
fields compared with reading the same columns' tokens without decrypting them.

    IER_MODE=test .venv/bin/python benchmarks/field_encryption.py --applications 20000

CPU time of this process (time.process_time), so other load on the machine counts
for less than in wall-clock figures. Every value read back through the encrypted
fields must be the value written; the benchmark exits non-zero otherwise."""

import argparse
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

DETAILS = {
    "passport": {"number": "502135326", "issued": "2019-03-27"},
    "address_abroad": {"lines": ["12 Rue Example", "75001 Paris"], "country": "FR"},
}


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applications", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=20000)
    return parser.parse_args()


def _setup(workdir: Path) -> None:
    os.environ["IER_MODE"] = "test"
    os.environ["DJANGO_SETTINGS_MODULE"] = "ier.config.settings.test"
    os.environ["DATABASE_URL"] = "sqlite:///%s" % (workdir / "bench.sqlite3")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _per_call_us(function, repeat: int) -> float:
    started = time.process_time()
    for _ in range(repeat):
        function()
    return (time.process_time() - started) / repeat * 1e6


def _value_costs(repeat: int) -> bool:
    """The costs printed; whether each value decrypts to what was encrypted."""
    import json

    from ier.core import crypto

    born = date(1971, 6, 29).isoformat()
    details = json.dumps(DETAILS)
    born_token, details_token = crypto.encrypt(born), crypto.encrypt(details)
    print(
        "encrypt a date of birth:  %5.1f µs"
        % _per_call_us(lambda: crypto.encrypt(born), repeat)
    )
    print(
        "decrypt a date of birth:  %5.1f µs"
        % _per_call_us(lambda: crypto.decrypt(born_token), repeat)
    )
    print(
        "encrypt journey details:  %5.1f µs"
        % _per_call_us(lambda: crypto.encrypt(details), repeat)
    )
    print(
        "decrypt journey details:  %5.1f µs"
        % _per_call_us(lambda: crypto.decrypt(details_token), repeat)
    )
    return (
        crypto.decrypt(born_token) == born and crypto.decrypt(details_token) == details
    )


def _fill(count: int) -> None:
    from django.db import transaction

    from ier.geography.models import Authority
    from ier.registration.models import Application, Status

    authority = Authority.objects.create(
        gss_code="E99999999", name="Benchmark Council", nation="England"
    )
    with transaction.atomic():
        Application.objects.bulk_create(
            (
                Application(
                    reference="B%09d" % i,
                    idempotency_key="bench-%d" % i,
                    journey="overseas",
                    status=Status.VERIFIED,
                    authority=authority,
                    first_name="Ann",
                    date_of_birth=date(1980, 1, 1 + i % 28),
                    details=DETAILS,
                    address_line_1="1 Example Street",
                    address_postcode="ZZ9 9ZZ",
                )
                for i in range(count)
            ),
            batch_size=1000,
        )


def _read_costs(count: int) -> bool:
    """The costs printed; whether every row read back holds what was written."""
    from django.db import models
    from django.db.models.functions import Cast

    from ier.registration.models import Application

    def decrypted():
        return list(Application.objects.values_list("pk", "date_of_birth", "details"))

    def tokens():
        return list(
            Application.objects.annotate(
                b=Cast("date_of_birth", models.TextField()),
                d=Cast("details", models.TextField()),
            ).values_list("pk", "b", "d")
        )

    right = True
    for name, read in (("tokens only", tokens), ("decrypted", decrypted)):
        started = time.process_time()
        rows = read()
        spent = time.process_time() - started
        right = right and len(rows) == count
        print(
            "read %d applications, %s: %.2f s CPU, %.1f µs each"
            % (count, name, spent, spent / count * 1e6)
        )
    return right and all(
        born == date(1980, 1, 1 + i % 28) and details == DETAILS
        for i, (_pk, born, details) in enumerate(sorted(decrypted()))
    )


def main() -> int:
    options = _parse()
    with tempfile.TemporaryDirectory() as workdir:
        _setup(Path(workdir))
        right = _value_costs(options.repeat)
        _fill(options.applications)
        right = _read_costs(options.applications) and right
    if not right:
        print("CHECK FAILED: a value read back is not the value written")
    return 0 if right else 1


if __name__ == "__main__":
    sys.exit(main())
