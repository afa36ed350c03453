"""People registering on deadline night, page by page (run by benchmarks/load/run.py).

Each simulated person opens the start page, starts the ordinary journey, answers each
page after a think time, gets one page wrong now and then, and submits. A person turned
away by the busy page before starting leaves (and someone new arrives); any failure
after the journey has started counts against the service. A JSON summary goes to
$IER_LOAD_SUMMARY when the run ends.
"""

import json
import os
import random
import re
import time

from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ADDRESSES = json.loads(os.environ.get("IER_LOAD_ADDRESSES", "[]"))
THINK = [float(s) for s in os.environ.get("IER_LOAD_THINK", "1,3").split(",")]
MISTAKE_RATE = float(os.environ.get("IER_LOAD_MISTAKES", "0.3"))
# Pages where an empty answer is a mistake the service must catch.
MISTAKE_PAGES = ["where-you-live", "nationality", "date-of-birth", "name", "address"]

record = {
    "latencies": [],
    "errors": 0,
    "submitted": 0,
    "turned_away": 0,
    "started": 0,
    "references": [],
}
REFERENCE = re.compile(r"<strong>([A-Z0-9]{5}) ([A-Z0-9]{5})</strong>")


def answers_for(index: int, postcode: str, uprn: int) -> dict:
    return {
        "where-you-live": {"country": "england"},
        "nationality": {"nationality": "british"},
        "date-of-birth": {
            "date_of_birth-day": str(1 + index % 28),
            "date_of_birth-month": str(1 + index % 12),
            "date_of_birth-year": str(1940 + index % 60),
        },
        "name": {"first_name": "Alex", "last_name": "Loadtest"},
        "previous-name": {"changed": "no"},
        "national-insurance-number": {"nino": "AB123456C"},
        "address": {"postcode": postcode},
        "address-select": {"uprn": str(uprn)},
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
        index = random.randrange(10**6)
        postcode, uprn = random.choice(ADDRESSES)
        answers = answers_for(index, postcode, uprn)
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
            done = self.answer(path, "check-answers", {"declaration": "on"})
            complete = self.fetch("GET", done, "GET complete", 200)
            record["submitted"] += 1
            shown = REFERENCE.search(complete.text)
            record["references"].append("".join(shown.groups()) if shown else "")
        except JourneyFailed:
            return


@events.quitting.add_listener
def write_summary(environment, **_kwargs) -> None:
    target = os.environ.get("IER_LOAD_SUMMARY")
    if target:
        with open(target, "w") as out:
            json.dump(record, out)
