"""Whether a postcode is known and an address is listed there is looked up once for
a few minutes: the address question, "check your answers" and sending all ask."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ier.citizen import addressing
from tests.citizen.helpers import an_address

pytestmark = pytest.mark.django_db


def test_an_address_is_looked_up_once_for_a_few_minutes(
    django_assert_num_queries, monkeypatch
):
    address = an_address()
    uprn = str(address.uprn)
    with django_assert_num_queries(1):
        assert addressing.address_at(uprn, address.postcode)
        assert addressing.address_at(uprn, address.postcode)
    later = addressing._period() + 1
    monkeypatch.setattr(addressing, "_period", lambda: later)
    with django_assert_num_queries(1):
        assert addressing.address_at(uprn, address.postcode)


def test_an_address_the_postcode_does_not_have_is_not_listed():
    address = an_address()
    assert not addressing.address_at("0", address.postcode)
    assert not addressing.address_at("not a number", address.postcode)


def test_a_postcode_is_looked_up_once_for_a_few_minutes(
    django_assert_num_queries, monkeypatch
):
    postcode = an_address().postcode
    with django_assert_num_queries(1):
        assert addressing.postcode_known(postcode)
        assert addressing.postcode_known(postcode)
    assert not addressing.postcode_known("ZZ9 9ZZ")
    later = addressing._period() + 1
    monkeypatch.setattr(addressing, "_period", lambda: later)
    with django_assert_num_queries(1):
        assert addressing.postcode_known(postcode)


def test_the_address_list_reads_each_address_as_the_address_itself_does():
    """The list's options, read column by column, are the addresses at the postcode
    in reading order, each on one line as the chosen address shows it."""
    postcode = an_address().postcode
    expected = tuple(
        (str(a.uprn), addressing.single_line(addressing.describe(a)))
        for a in addressing.addresses_at(postcode)
    )
    assert len(expected) > 1
    assert addressing.address_options(postcode) == expected
    assert addressing.address_options("ZZ9 9ZZ") == ()


def test_the_chosen_address_read_as_one_row_is_the_address_itself():
    """The chosen address, read as one row of the columns it shows, is what the
    Address and its council say, in one query."""
    for address in addressing.addresses_at(an_address().postcode):
        with CaptureQueriesContext(connection) as queries:
            found = addressing._listed_address(address.uprn, address.postcode, -1)
        assert len(queries) == 1
        assert found == addressing.describe(address)
        assert found["gss_code"] and found["nation"]
    assert addressing._listed_address(1, "ZZ9 9ZZ", -1) is None
