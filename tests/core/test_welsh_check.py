"""The check every Welsh page passes (tests/welsh.py) finds English, and only
English: names, addresses and numbers are the same in both languages."""

import html5lib

from tests.welsh import english_on_welsh_page


def page(body: str):
    parser = html5lib.HTMLParser(namespaceHTMLElements=False)
    return parser.parse('<html lang="cy"><body>%s</body></html>' % body)


def test_a_message_left_in_english_is_found():
    assert english_on_welsh_page(page("<p>Continue</p><p>Parhau</p>")) == ["Continue"]


def test_english_the_same_on_both_renderings_is_found_unless_it_is_data():
    data = "<p>Siân O'Brien-Jones</p><p>CF10 1AA</p><p>14/02/1985</p>"
    paragraph = "<p>Check each answer before you send it.</p>"
    welsh = page(data + paragraph + "<p>Gwiriwch</p>")
    english = page(data + paragraph + "<p>Check</p>")
    assert english_on_welsh_page(welsh, english) == [
        "Check each answer before you send it."
    ]


def test_an_english_date_is_not_a_name():
    welsh = page("<p>14 February 1985</p>")
    assert english_on_welsh_page(welsh, page("<p>14 February 1985</p>")) == [
        "14 February 1985"
    ]
