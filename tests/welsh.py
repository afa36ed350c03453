"""English on a Welsh page is a defect: every visible text of a Welsh page is
compared with the English the service knows (the msgids of the Welsh catalogue) and
with the English rendering of the same page.

A text may be the same in both languages only when it is data (a name, an address,
a number, a date in figures, a postcode, a reference, an email address), the
catalogue translates it to itself, or it is on the short list below."""

import gettext
import re
from functools import cache
from pathlib import Path

import html5lib

CATALOGUE = (
    Path(__file__).resolve().parents[1] / "src/ier/locale/cy/LC_MESSAGES/django.mo"
)

#: Texts that are the same in Welsh, with the reason each is.
SAME_IN_BOTH = {
    "GOV.UK": "the name of the site",
    "English": "the language switch names each language in itself",
    "Cymraeg": "the language switch names each language in itself",
    "©": "the crown copyright sign",
    "Crown copyright": "GOV.UK Frontend's footer licence text, set by the template",
    "ier_answers": "a cookie's name, on the cookies page",
    "csrftoken": "a cookie's name, on the cookies page",
    "sessionid": "a cookie's name, on the cookies page",
}

PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]|\{[^}]*\}")
TAG = re.compile(r"<[^>]+>")
POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$", re.IGNORECASE)
DATA = re.compile(r"^[\d\W_]*$")  # numbers, dates in figures, punctuation
REFERENCE = re.compile(r"^[A-Z0-9]{5} ?[A-Z0-9]{5}$")
EMAIL = re.compile(r"^\S+@\S+$")
WEB_ADDRESS = re.compile(r"^(https?://)?[\w-]+(\.[\w-]+)+(/\S*)?$")
#: English words that are never part of a name or an address.
NEVER_A_NAME = {
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December", "Monday", "Tuesday",
    "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "The", "Your", "You",
    "Yes", "No", "Change", "Back", "Continue", "Error",
}  # fmt: skip


#: Small words inside names of places and organisations.
NAME_PARTICLES = {"of", "and", "the", "upon", "on", "in", "de", "la", "y", "yr"}


@cache
def english_fragments() -> frozenset[str]:
    """Each run of text in an English message the catalogue translates differently,
    split where markup or a placeholder interrupts it."""
    with CATALOGUE.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    fragments = set()
    for key, translation in catalogue.items():
        english = key[0] if isinstance(key, tuple) else key
        english = english.split("\x04")[-1]  # without a message context
        if not english or english == translation:
            continue
        for piece in PLACEHOLDER.split(TAG.sub("\n", english)):
            for line in piece.split("\n"):
                text = " ".join(line.split())
                if text:
                    fragments.add(text)
    return frozenset(fragments)


def visible_texts(document) -> list[str]:
    """Each text node of the body a person sees or hears, whitespace folded."""
    texts = []
    body = document.find("./body")

    def walk(element):
        if element.tag in ("script", "style", "template") or element.get("hidden"):
            return
        if element.text and element.text.strip():
            texts.append(" ".join(element.text.split()))
        for child in element:
            walk(child)
            if child.tail and child.tail.strip():
                texts.append(" ".join(child.tail.split()))

    if body is not None:
        walk(body)
    return texts


def is_data(text: str) -> bool:
    """A name, an address, a number, a postcode, a reference or an email address,
    or a list of them: the same in any language. Names are told by capitals."""
    return all(_is_datum(part.strip()) for part in text.split(",") if part.strip())


def _is_datum(text: str) -> bool:
    if any(
        pattern.match(text)
        for pattern in (DATA, POSTCODE, REFERENCE, EMAIL, WEB_ADDRESS)
    ):
        return True
    # "d'Ivoire", "O'Brien": the capital may follow an elided particle; "1st" and
    # "42A" are numbers; "Isle of Anglesey" keeps its small words.
    words = [
        re.sub(r"^[a-z][’']", "", word)
        for word in text.split()
        if word[0].isalpha() and word not in NAME_PARTICLES
    ]
    return bool(words) and all(
        word[0].isupper() and word.strip(".'’") not in NEVER_A_NAME for word in words
    )


def english_on_welsh_page(welsh_document, english_document=None) -> list[str]:
    """The texts of a Welsh page that are English: found in the English catalogue,
    or the same as on the English rendering and not data."""
    fragments = english_fragments()
    same = (
        set(visible_texts(english_document)) if english_document is not None else set()
    )
    leaks = []
    for text in visible_texts(welsh_document):
        if text in SAME_IN_BOTH:
            continue
        if text in fragments or (text in same and not is_data(text)):
            leaks.append(text)
    return leaks


def english_in_browser(page) -> list[str]:
    """`english_on_welsh_page` for the page a browser shows, as its scripts left
    it, against the catalogue (a browser's pages have no English twin at hand)."""
    parser = html5lib.HTMLParser(namespaceHTMLElements=False)
    return english_on_welsh_page(parser.parse(page.content()))
