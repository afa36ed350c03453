import pytest
from django.core.management import CommandError, call_command

from ier.ero.models import Officer

pytestmark = pytest.mark.django_db


def test_invite_officer_prints_a_working_link(authority, client, capsys):
    call_command(
        "invite_officer",
        authority=authority.gss_code,
        email="First.Manager@example.gov.uk",
        base_url="http://testserver",
    )
    link = capsys.readouterr().out.strip()
    officer = Officer.objects.for_authority(authority).get()
    assert officer.is_manager
    assert client.get(link.replace("http://testserver", "")).status_code == 200


def test_invite_officer_refuses_unknown_authority_and_duplicates(authority):
    with pytest.raises(CommandError):
        call_command("invite_officer", authority="X00000000", email="a@example.gov.uk")
    call_command(
        "invite_officer", authority=authority.gss_code, email="a@example.gov.uk"
    )
    with pytest.raises(CommandError):
        call_command(
            "invite_officer", authority=authority.gss_code, email="A@example.gov.uk"
        )


def test_invite_officer_links_to_the_service_address_unless_told_otherwise(
    authority, settings, capsys
):
    settings.SERVICE_URL = "https://register.example.gov.uk"
    call_command(
        "invite_officer", authority=authority.gss_code, email="m@example.gov.uk"
    )
    link = capsys.readouterr().out.strip()
    assert link.startswith("https://register.example.gov.uk/ero/invitation/")
