"""Checks every HTML page a test fetches, so each view test is a quality test too."""

from collections import Counter

import html5lib

from tests.welsh import english_on_welsh_page


class PageProblem(AssertionError):
    pass


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def parse(response):
    parser = html5lib.HTMLParser(strict=False, namespaceHTMLElements=False)
    document = parser.parse(response.content.decode())
    if parser.errors:
        raise PageProblem("HTML parse errors: %r" % (parser.errors[:3],))
    return document


def is_welsh(response) -> bool:
    return b'<html lang="cy"' in response.content


def check_forms(document) -> None:
    for form in document.findall(".//form"):
        if not form.get("action"):
            raise PageProblem("a form has no action")
        if (
            form.get("method", "get").lower() == "post"
            and form.find(".//input[@name='csrfmiddlewaretoken']") is None
        ):
            raise PageProblem("a POST form has no CSRF token")


def check_page(response, english=None) -> None:
    """Valid HTML, one <h1> that starts the <title> (after "Error: " when the page
    shows errors), unique ids, forms with an action and a CSRF token, scripts with
    no inline script (the policy allows none); and on a Welsh page no English (given
    `english`, the same page in English, nothing the same there that is not data)."""
    document = parse(response)
    h1s = document.findall(".//h1")
    if len(h1s) != 1:
        raise PageProblem("expected one <h1>, found %d" % len(h1s))
    title = _text(document.find("./head/title"))
    heading = _text(h1s[0])
    has_errors = document.find(".//*[@class='govuk-error-summary']") is not None
    expected = ("Error: " if has_errors else "") + heading
    if not (
        title.startswith(expected)
        or title.startswith(expected.replace("Error: ", "Gwall: "))
    ):
        raise PageProblem("title %r does not start with %r" % (title, expected))
    ids = Counter(el.get("id") for el in document.iter() if el.get("id"))
    duplicates = [i for i, n in ids.items() if n > 1]
    if duplicates:
        raise PageProblem("duplicate ids: %s" % duplicates)
    check_forms(document)
    for script in document.findall(".//script"):
        if not script.get("src") or _text(script):
            raise PageProblem("an inline script, which the CSP would block")
    if is_welsh(response):
        leaks = english_on_welsh_page(
            document, parse(english) if english is not None else None
        )
        if leaks:
            raise PageProblem("English on a Welsh page: %s" % leaks)
