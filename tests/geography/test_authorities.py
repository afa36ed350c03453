"""Councils and registration offices from the shared data, loaded again as it
changes."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ier.geography.importers import (
    default_authorities_file,
    default_scotland_file,
    import_authorities,
)
from ier.geography.models import Authority, Nation, RegistrationOffice

pytestmark = pytest.mark.django_db


def test_every_council_in_great_britain_and_the_northern_ireland_office_is_loaded():
    counts = {n: Authority.objects.filter(nation=n).count() for n in Nation.values}
    assert counts == {
        "England": 296,
        "Scotland": 32,
        "Wales": 22,
        "Northern Ireland": 1,
    }
    cardiff = Authority.objects.get(gss_code="W06000015")
    assert (cardiff.name, cardiff.name_cy) == (
        "City of Cardiff Council",
        "Cyngor Caerdydd",
    )


def test_loading_again_updates_in_place():
    offices = RegistrationOffice.objects.count()
    report = import_authorities(default_authorities_file(), default_scotland_file())
    assert (report.created, report.updated, report.rejected) == (0, 351, [])
    assert RegistrationOffice.objects.count() == offices


def test_each_scottish_council_is_served_by_an_office_and_others_by_themselves():
    scottish = Authority.objects.filter(nation=Nation.SCOTLAND)
    assert not scottish.filter(registration_office=None).exists()
    assert (
        not Authority.objects.exclude(nation=Nation.SCOTLAND)
        .exclude(registration_office=None)
        .exists()
    )
    lothian = RegistrationOffice.objects.get(name="Lothian Valuation Joint Board")
    assert set(lothian.councils.values_list("gss_code", flat=True)) == {
        "S12000010", "S12000019", "S12000036", "S12000040",
    }  # fmt: skip


def test_a_councils_contact_is_its_offices_where_another_office_serves_it():
    falkirk = Authority.objects.get(gss_code="S12000014")
    assert falkirk.contact["email"] == "registration@centralscotland-vjb.gov.uk"
    assert falkirk.contact["name"] == "Central Scotland Valuation Joint Board"
    hartlepool = Authority.objects.get(gss_code="E06000001")
    assert hartlepool.contact["email"] == "elections@hartlepool.gov.uk"


def test_a_council_no_longer_in_the_scottish_file_runs_its_own_registration(tmp_path):
    lines = default_scotland_file().read_text().splitlines()
    shorter = tmp_path / "scotland.csv"
    shorter.write_text(
        "\n".join(line for line in lines if not line.startswith("S12000014"))
    )
    import_authorities(default_authorities_file(), shorter)
    assert Authority.objects.get(gss_code="S12000014").registration_office is None
    assert Authority.objects.get(gss_code="S12000030").registration_office is not None


def test_an_office_without_a_name_column_is_named_from_its_address(tmp_path):
    path = tmp_path / "scotland.csv"
    path.write_text(
        "gss_code,council_name,registration_email,registration_phone,website,address,"
        "postcode\nS12000042,Dundee City Council,ero@example.org,01382 000000,,"
        '"Electoral Registration Officer, Tayside House, Dundee",DD1 3BY\n'
    )
    import_authorities(default_authorities_file(), path)
    office = Authority.objects.get(gss_code="S12000042").registration_office
    assert office.name == "Tayside House"


def test_the_command_reports_what_it_did():
    out = StringIO()
    call_command("import_authorities", stdout=out)
    assert "Authorities: 0 created, 351 updated, 0 rejected" in out.getvalue()


def test_a_file_holding_a_nul_is_refused_naming_its_line(tmp_path):
    """PostgreSQL cannot store a NUL: nothing is loaded and the line is named."""
    lines = default_authorities_file().read_text().splitlines(keepends=True)
    lines[3] = lines[3].replace(",", ",\x00", 1)
    path = tmp_path / "authorities.csv"
    path.write_text("".join(lines))
    with pytest.raises(
        CommandError, match=r"authorities\.csv line 4: name holds a NUL"
    ):
        call_command("import_authorities", "--authorities", str(path))
