"""Walking any journey in a real browser, in English or Welsh, answering each page by
its inputs' names and values (the same in both languages) and checking each page
with axe-core. The answers for each journey are data, keyed by step."""

from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.welsh import english_in_browser

CHECK = "check-answers"


def slug_of(url: str) -> str:
    return url.rstrip("/").split("/")[-1]


class Person:
    """Steps a person takes, in the language of the pages they see."""

    def __init__(self, page, service, language="en", checks_accessibility=True):
        self.page = page
        self.service = service
        self.prefix = "/cy" if language == "cy" else ""
        self.language = language
        self.checks = checks_accessibility
        self.pages_seen: list[str] = []

    def opens(self, path: str) -> None:
        self.page.goto(self.service.base_url + self.prefix + path)
        self.sees_a_page()

    def sees_a_page(self) -> str:
        assert self.page.locator("html").get_attribute("lang") == self.language
        assert self.page.locator("h1").count() == 1, self.page.url
        self.pages_seen.append(self.page.url)
        if self.language == "cy":
            assert english_in_browser(self.page) == [], self.page.url
        if self.checks:
            assert_accessible(self.page)
        return slug_of(self.page.url)

    def starts(self) -> None:
        self.page.locator("a.govuk-button--start").click()

    def answers(self, actions) -> None:
        for action, name, value in actions:
            field = self.page.locator("[name='%s']" % name)
            if action == "check":
                field.and_(self.page.locator("[value='%s']" % value)).check()
            elif action == "select":
                field.select_option(value=value)
            else:
                field.fill(value)

    def continues(self) -> None:
        self.page.locator("main form[method='post'] button").first.click()

    def sends_with_nothing_filled_in(self) -> None:
        """The error state of the page is checked too."""
        self.continues()
        expect(self.page.locator(".govuk-error-summary")).to_be_visible()
        self.sees_a_page()

    def walks(self, script: dict) -> list[str]:
        """Answer each page the journey asks, in its order, until check answers."""
        asked = []
        for _ in range(40):
            slug = slug_of(self.page.url)
            if slug == CHECK:
                return asked
            assert slug in script, (slug, self.page.url)
            asked.append(slug)
            self.answers(script[slug])
            self.continues()
            self.sees_a_page()
        raise AssertionError("the journey did not end")

    def sends_the_application(self) -> str:
        self.page.locator("[name='declaration']").check()
        self.continues()
        assert slug_of(self.page.url) == "complete"
        self.sees_a_page()
        reference = self.page.locator(".govuk-panel__body strong").inner_text()
        return reference.replace(" ", "")


def saved(service, reference: str) -> tuple:
    rows = service.query(
        "SELECT a.journey, a.language, g.nation FROM registration_application a "
        "JOIN geography_authority g ON g.id = a.authority_id WHERE a.reference = ?",
        reference,
    )
    assert len(rows) == 1, rows
    return rows[0]


def date_parts(prefix: str, day: int, month: int, year: int) -> list:
    return [
        ("fill", "%s-day" % prefix, str(day)),
        ("fill", "%s-month" % prefix, str(month)),
        ("fill", "%s-year" % prefix, str(year)),
    ]


def address_steps(postcode: str, uprn: int) -> dict:
    return {
        "address": [("fill", "postcode", postcode)],
        "address-select": [("select", "uprn", str(uprn))],
    }


def identity_steps(first_name: str) -> dict:
    return {
        "name": [("fill", "first_name", first_name), ("fill", "last_name", "Jones")],
        "previous-name": [("check", "changed", "no")],
        "national-insurance-number": [("fill", "nino", "JG103704B")],
    }


def overseas_script(postcode: str, uprn: int) -> dict:
    return {
        "british-citizen": [("check", "citizen", "british")],
        "date-of-birth": date_parts("date_of_birth", 2, 9, 1970),
        "last-registered": [("check", "registered", "ordinary")],
        "date-left": [("fill", "year_left", "1998")],
        **address_steps(postcode, uprn),
        "passport": [("check", "has_passport", "yes")],
        "passport-details": [
            ("fill", "passport_number", "502135326"),
            *date_parts("issue_date", 1, 5, 2019),
        ],
        **identity_steps("Rhiannon"),
        "address-abroad": [
            ("select", "country", "ES"),
            ("fill", "address", "Calle Mayor 1\n28013 Madrid"),
        ],
        "attestation": [("check", "attest", "yes")],
        "attestor": [
            ("fill", "attestor_name", "Ifan Morgan"),
            ("fill", "attestor_postcode", "CF10 1AA"),
            ("fill", "attestor_email", "ifan@example.com"),
        ],
        "ways-to-vote": [("check", "way", "proxy")],
        "open-register": [("check", "open_register", "no")],
        "contact": [("fill", "email", "rhiannon@example.com")],
    }


def service_script(kind: str, postcode: str, uprn: int) -> dict:
    statement = ("check", "statement", "member" if kind == "forces" else "crown")
    duty = (
        {
            "service-details": [
                ("check", "service", "army"),
                ("fill", "rank", "Corporal"),
                ("fill", "service_number", "30012345"),
                ("fill", "unit", "1st Battalion, Royal Welsh"),
            ]
        }
        if kind == "forces"
        else {
            "job": [
                ("fill", "job_title", "Second Secretary"),
                ("fill", "department", "Foreign, Commonwealth and Development Office"),
                ("fill", "staff_number", "FC12345"),
            ]
        }
    )
    return {
        "service-statement": [statement],
        "uk-address": [("check", "uk_address", "yes")],
        **address_steps(postcode, uprn),
        "nationality": [("check", "nationality", "british")],
        "date-of-birth": date_parts("date_of_birth", 4, 11, 1990),
        **identity_steps("Dafydd"),
        **duty,
        "correspondence-address": [("check", "write_to", "other")],
        "correspondence-details": [("fill", "address", "PO Box 1\nNicosia\nCyprus")],
        "open-register": [("check", "open_register", "no")],
        "ways-to-vote": [("check", "way", "post")],
        "contact": [("fill", "email", "dafydd@example.com")],
    }


def ordinary_script(postcode: str, uprn: int) -> dict:
    return {
        "where-you-live": [("check", "country", "wales")],
        "nationality": [("check", "nationality", "british")],
        "date-of-birth": date_parts("date_of_birth", 1, 3, 1960),
        **identity_steps("Gwenllian"),
        **address_steps(postcode, uprn),
        "moved": [("check", "moved", "no")],
        "other-address": [("check", "other_address", "no")],
        "open-register": [("check", "open_register", "no")],
        "postal-vote": [("check", "postal_vote", "yes")],
        "contact": [("fill", "email", "gwenllian@example.com")],
    }
