"""People registering on deadline night, page by page (run by benchmarks/load/run.py).

Each simulated person opens the start page, starts the ordinary journey, answers each
page after a think time, gets one page wrong now and then, and submits. A person turned
away by the busy page before starting leaves (and someone new arrives); any failure
after the journey has started counts against the service. Each person is a different
one, at a different address (the list in $IER_LOAD_PEOPLE, made by
benchmarks/people.py). A JSON summary, with the reference each person was given, goes
to $IER_LOAD_SUMMARY when the run ends.
"""

import json
import os
import random
import re
import time
from pathlib import Path

from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REFERENCE = re.compile(r"<strong>([^<]+)</strong>")
PEOPLE = iter(json.loads(Path(os.environ["IER_LOAD_PEOPLE"]).read_text()))
THINK = [float(s) for s in os.environ.get("IER_LOAD_THINK", "1,3").split(",")]
MISTAKE_RATE = float(os.environ.get("IER_LOAD_MISTAKES", "0.3"))
# Pages where an empty answer is a mistake the service must catch.
MISTAKE_PAGES = ["where-you-live", "nationality", "date-of-birth", "name", "address"]

record: dict = {
    "latencies": [],
    "errors": 0,
    "submitted": 0,
    "turned_away": 0,
    "started": 0,
    "sent": {},
    "sending": {},
    "people_left": True,
    "references": [],
}


def answers_for(person: dict) -> dict:
    year, month, day = person["date_of_birth"].split("-")
    return {
        "where-you-live": {"country": "england"},
        "nationality": {"nationality": "british"},
        "date-of-birth": {
            "date_of_birth-day": str(int(day)),
            "date_of_birth-month": str(int(month)),
            "date_of_birth-year": year,
        },
        "name": {
            "first_name": person["first_name"],
            "middle_names": person["middle_names"],
            "last_name": person["last_name"],
        },
        "previous-name": {"changed": "no"},
        "national-insurance-number": {"nino": person["nino"]},
        "address": {"postcode": person["postcode"]},
        "address-select": {"uprn": str(person["uprn"])},
        "moved": {"moved": "no"},
        "other-address": {"other_address": "no"},
        "open-register": {"open_register": "no"},
        "postal-vote": {"postal_vote": "no-in-person"},
        "contact": {"email": "", "phone": ""},
    }


class JourneyFailed(Exception):
    pass


class Person(FastHttpUser):
    wait_time = between(*THINK)

    def think(self) -> None:
        time.sleep(random.uniform(*THINK))

    def fetch(self, method: str, path: str, name: str, expect: int, **kwargs):
        started = time.perf_counter()
        kwargs["headers"] = {
            **kwargs.get("headers", {}),
            "X-Forwarded-For": self.address,
        }
        with self.client.request(
            method,
            path,
            name=name,
            allow_redirects=False,
            catch_response=True,
            **kwargs,
        ) as response:
            record["latencies"].append(time.perf_counter() - started)
            if response.status_code != expect:
                response.failure("%s: %s" % (name, response.status_code))
                record["errors"] += 1
                raise JourneyFailed(name)
            return response

    def answer(self, path: str, slug: str, data: dict, mistake: bool = False) -> str:
        page = self.fetch("GET", path, "GET " + slug, 200)
        token = CSRF.search(page.text).group(1)
        self.think()
        headers = {"Referer": self.host + path}
        if mistake:
            self.fetch(
                "POST",
                path,
                "POST " + slug + " (mistake)",
                200,
                data={"csrfmiddlewaretoken": token},
                headers=headers,
            )
            self.think()
        response = self.fetch(
            "POST",
            path,
            "POST " + slug,
            302,
            data={**data, "csrfmiddlewaretoken": token},
            headers=headers,
        )
        return response.headers["Location"]

    def arrive(self) -> bool:
        """The start page; False when the person is turned away by the busy page."""
        with self.client.get(
            "/",
            name="GET start page",
            catch_response=True,
            headers={"X-Forwarded-For": self.address},
        ) as page:
            if page.status_code == 503 and "Retry-After" in page.headers:
                page.success()
                record["turned_away"] += 1
                return False
            if page.status_code != 200:
                page.failure("start page: %s" % page.status_code)
                record["errors"] += 1
                return False
        return True

    @task
    def register(self) -> None:
        self.client.cookiejar.clear()  # someone new, from an address of their own
        self.address = "10.%d.%d.%d" % tuple(random.randrange(1, 255) for _ in "abc")
        if not self.arrive():
            return
        self.think()
        person = next(PEOPLE, None)
        if person is None:
            record["people_left"] = False
            return
        answers = answers_for(person)
        try:
            path = self.fetch("GET", "/register/start/", "GET journey start", 302)
            path = path.headers["Location"]
            record["started"] += 1
            mistake_on = (
                random.choice(MISTAKE_PAGES) if random.random() < MISTAKE_RATE else ""
            )
            while not path.endswith("/check-answers/"):
                slug = path.rstrip("/").split("/")[-1]
                path = self.answer(
                    path, slug, answers[slug], mistake=slug == mistake_on
                )
            # Stopped from here to the reference, the person's application may be
            # stored without their knowing its reference.
            record["sending"][id(person)] = person
            done = self.answer(path, "check-answers", {"declaration": "on"})
            page = self.fetch("GET", done, "GET complete", 200)
            shown = REFERENCE.search(page.text).group(1)
            reference = "".join(c for c in shown if c.isalnum())
            record["sent"][reference] = person
            del record["sending"][id(person)]
            record["references"].append(reference)
            record["submitted"] += 1
        except JourneyFailed:
            return


@events.quitting.add_listener
def write_summary(environment, **_kwargs) -> None:
    target = os.environ.get("IER_LOAD_SUMMARY")
    if target:
        with open(target, "w") as out:
            json.dump({**record, "sending": list(record["sending"].values())}, out)
