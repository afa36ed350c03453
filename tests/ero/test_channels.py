"""The portal shows how each application arrived: online, or keyed by the council
from paper, phone or in person."""

import re

import pytest

from ier.registration.models import Channel, Status
from tests.api.factories import create_application

pytestmark = pytest.mark.django_db


def test_the_dashboard_counts_applications_by_channel(
    officer_client, authority, other_authority
):
    create_application(authority, Status.VERIFIED)
    for _ in range(2):
        create_application(authority, Status.PARTIAL, channel=Channel.PAPER)
    create_application(authority, Status.VERIFIED, channel=Channel.IN_PERSON)
    create_application(other_authority, Status.VERIFIED, channel=Channel.PHONE)

    page = officer_client.get("/ero/").content.decode()

    table = page[page.index("Applications by channel") :]
    counts = dict(
        re.findall(
            r'<th scope="row" class="govuk-table__header">([^<]+)</th>\s*'
            r'<td class="govuk-table__cell govuk-table__cell--numeric">(\d+)</td>',
            table,
        )
    )
    assert counts == {"Online": "1", "Paper form": "2", "Phone": "0", "In person": "1"}


def test_the_list_and_the_application_page_show_the_channel(officer_client, authority):
    keyed = create_application(
        authority, Status.PARTIAL, channel=Channel.PHONE, council_reference="EMS-123"
    )
    online = create_application(authority, Status.PARTIAL)

    listed = officer_client.get("/ero/applications/").content.decode()
    row = listed[listed.index(keyed.reference) :].split("</tr>")[0]
    assert '<td class="govuk-table__cell">Phone</td>' in row
    row = listed[listed.index(online.reference) :].split("</tr>")[0]
    assert '<td class="govuk-table__cell">Online</td>' in row

    page = officer_client.get("/ero/applications/%s/" % keyed.reference)
    text = page.content.decode()
    assert re.search(r"Channel\s*</dt>\s*<dd[^>]*>\s*Phone", text)
    assert re.search(r"Council reference\s*</dt>\s*<dd[^>]*>\s*EMS-123", text)
