"""Walking the journey as a person would: follow each redirect, answer each page."""

from ier.geography.models import Address

CHECK_ANSWERS = "/register/check-answers/"


def an_address(nation="England", index=0):
    return (
        Address.objects.filter(authority__nation=nation, synthetic=True)
        .select_related("authority")
        .order_by("uprn")[index]
    )


def ordinary_answers(home=None, **overrides):
    """Valid answers for every page of the ordinary journey, keyed by step."""
    address = home or an_address()
    answers = {
        "where-you-live": {"country": address.authority.nation.lower()},
        "nationality": {"nationality": ["british"]},
        "date-of-birth": {
            "date_of_birth-day": "14",
            "date_of_birth-month": "2",
            "date_of_birth-year": "1985",
        },
        "name": {
            "first_name": "Siân",
            "middle_names": "Mair",
            "last_name": "O'Brien-Jones",
        },
        "previous-name": {"changed": "no"},
        "national-insurance-number": {"nino": "ab 12 34 56 c"},
        "address": {"postcode": address.postcode.replace(" ", "").lower()},
        "address-select": {"uprn": str(address.uprn)},
        "moved": {"moved": "no"},
        "other-address": {"other_address": "no"},
        "open-register": {"open_register": "no"},
        "postal-vote": {"postal_vote": "no-in-person"},
        "contact": {"email": "sian@example.com", "phone": ""},
    }
    answers.update(overrides)
    return answers


def walk(client, answers, prefix="", stop_at=None, max_pages=40, kind=""):
    """Start a journey (the ordinary one unless `kind` names another) and answer
    every page it asks for until it reaches check answers, an exit page or
    `stop_at`; returns the last response."""
    start = "/register/start/%s" % ("%s/" % kind if kind else "")
    response = client.get(prefix + start)
    for _ in range(max_pages):
        location = response["Location"]
        slug = location.rstrip("/").split("/")[-1]
        if location.endswith(CHECK_ANSWERS) or "/exit/" in location or slug == stop_at:
            return client.get(location)
        page = client.get(location)
        assert page.status_code == 200, (location, page.status_code)
        response = client.post(location, answers[slug])
        assert response.status_code == 302, (slug, _errors(response))
    raise AssertionError("the journey did not end")


def _errors(response):
    return (
        response.context["form"].errors if response.context else response.content[:500]
    )


def submit(client, answers, prefix="", kind=""):
    check = walk(client, answers, prefix, kind=kind)
    assert check.request["PATH_INFO"].endswith(CHECK_ANSWERS), check.request[
        "PATH_INFO"
    ]
    return client.post(prefix + CHECK_ANSWERS, {"declaration": "on"})
