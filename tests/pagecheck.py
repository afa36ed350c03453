"""Checks every HTML page a test fetches, so each view test is a quality test too."""

from collections import Counter

import html5lib


class PageProblem(AssertionError):
    pass


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def check_page(response) -> None:
    """Valid HTML, one <h1> that starts the <title> (after "Error: " when the page
    shows errors), unique ids, forms with an action and a CSRF token, scripts with
    no inline script (the policy allows none)."""
    content = response.content.decode()
    parser = html5lib.HTMLParser(strict=False, namespaceHTMLElements=False)
    document = parser.parse(content)
    if parser.errors:
        raise PageProblem("HTML parse errors: %r" % (parser.errors[:3],))
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
    for form in document.findall(".//form"):
        if not form.get("action"):
            raise PageProblem("a form has no action")
        if (
            form.get("method", "get").lower() == "post"
            and form.find(".//input[@name='csrfmiddlewaretoken']") is None
        ):
            raise PageProblem("a POST form has no CSRF token")
    for script in document.findall(".//script"):
        if not script.get("src") or _text(script):
            raise PageProblem("an inline script, which the CSP would block")
