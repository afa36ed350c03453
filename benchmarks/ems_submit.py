"""The submit path of `benchmarks/ems.py --submit`: paper applications sent through
HTTP in batches, as a council's EMS sends a day's post.

A council of its own is made with its own addresses (one each), then `count`
different people (benchmarks/people.py: distinct names, dates of birth, NINOs and
addresses) are keyed as paper forms with a council reference each and sent in
batches of `batch` to `POST /api/v1/applications` by `senders` clients at once, as
an EMS would, with the shipped rate limit (a 429 is waited out as its Retry-After
says). Afterwards every application must be stored once, as sent, and the answers
must have accepted every line; the run fails otherwise."""

import os
import threading
import time

from journey import cpu_seconds
from people import Person, applicants, check_stored

FIRST_UPRN = 990_000_000_000


def fill(count: int, gss_code: str) -> tuple[list[Person], str]:
    """A council with `count` addresses of its own; the people to send and a token."""
    from ier.api import tokens
    from ier.geography.models import Address, Authority

    authority = Authority.objects.create(
        gss_code=gss_code, name="Benchmark Council %s" % gss_code, nation="England"
    )
    places = [
        ("ZZ%d %dZZ" % (n // 1000 % 100, n % 10), FIRST_UPRN + n) for n in range(count)
    ]
    Address.objects.bulk_create(
        (
            Address(
                uprn=uprn,
                line_1="%d Benchmark Street" % (uprn - FIRST_UPRN),
                town="Benchtown",
                postcode=postcode,
                authority=authority,
                sort_key="%012d" % uprn,
                synthetic=True,
            )
            for postcode, uprn in places
        ),
        batch_size=2000,
    )
    return applicants(places, count), tokens.create_token(authority, "benchmark")[1]


def line(person: Person, number: int) -> dict:
    return {
        "channel": "paper",
        "council_reference": "BENCH-%07d" % number,
        "first_name": person.first_name,
        "middle_names": person.middle_names,
        "last_name": person.last_name,
        "date_of_birth": person.date_of_birth.isoformat(),
        "nationalities": ["GB"],
        "nino": person.nino,
        "address_uprn": person.uprn,
        "moved": "no",
        "open_register": False,
        "postal_vote": "no-in-person",
    }


def send_all(base, secret, people, batch, senders, pids):
    """Send everyone; (elapsed seconds, server CPU seconds, references by person,
    lines not accepted, waits for the rate limit)."""
    from ier.api.client import _send, make_client

    batches = [
        [line(person, n) for n, person in enumerate(people[i : i + batch], start=i)]
        for i in range(0, len(people), batch)
    ]
    sent: dict[str, Person] = {}
    refused: list[str] = []
    waits: list[float] = []
    lock = threading.Lock()
    todo = list(range(len(batches)))

    def wait(seconds: float) -> None:
        waits.append(seconds)
        time.sleep(seconds)

    def sender():
        with make_client(base + "/api/v1", secret, 300) as client:
            while True:
                with lock:
                    if not todo:
                        return
                    index = todo.pop(0)
                answer = _send(
                    client,
                    "POST",
                    "applications",
                    5,
                    wait,
                    json={"applications": batches[index]},
                )
                with lock:
                    for result in answer["results"]:
                        person = people[index * batch + result["line"] - 1]
                        if result["outcome"] != "accepted":
                            refused.append(
                                "%s: %s" % (result["outcome"], result["errors"])
                            )
                        else:
                            sent[result["reference"]] = person

    cpu_before = cpu_seconds(pids)
    started = time.perf_counter()
    threads = [threading.Thread(target=sender) for _ in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return elapsed, cpu_seconds(pids) - cpu_before, sent, refused, waits


def run(base, secret, people, batch, senders, pids, engine) -> tuple[str, list[str]]:
    from django.conf import settings

    load = os.getloadavg()
    elapsed, server_cpu, sent, refused, waits = send_all(
        base, secret, people, batch, senders, pids
    )
    wrong = check_stored(sent, same_person=False)
    if refused:
        wrong.append("%d lines not accepted, e.g. %s" % (len(refused), refused[0]))
    limit = settings.EMS_API_REQUESTS_PER_MINUTE
    report = (
        "%s, submit, batches of %d, %d senders: %d paper applications in %.2f s = "
        "%.0f a second accepted (server CPU %.0f µs an application, %.0f a "
        "CPU-second; load before %.2f %.2f %.2f, after %.2f); %d waits for the rate "
        "limit (%.0f s); the shipped limit (%d requests a minute per token) allows "
        "at most %.0f a second at this batch size; stored once, as sent: %s"
        % (
            engine,
            batch,
            senders,
            len(people),
            elapsed,
            len(people) / elapsed,
            server_cpu / len(people) * 1e6,
            len(people) / server_cpu if server_cpu else 0,
            *load,
            os.getloadavg()[0],
            len(waits),
            sum(waits),
            limit,
            limit / 60 * batch,
            "no" if wrong else "yes",
        )
    )
    return report, wrong
