"""The officers' authenticator app (TOTP, RFC 6238) with its secret kept encrypted:
codes are checked as an app computes them, each is accepted once, and wrong codes
slow the next attempt."""

from base64 import b32encode
from urllib.parse import parse_qs, urlparse

import pytest
from django_otp.oath import TOTP

from ier.ero.models import AuthenticatorDevice
from tests.api.factories import create_officer, current_code, two_authorities

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return create_officer(two_authorities()[0], username="ann@council.gov.uk")


def device_of(officer) -> AuthenticatorDevice:
    return AuthenticatorDevice.objects.get(user=officer.user)


def test_the_current_code_is_accepted_once(officer):
    code = current_code(officer.user)
    assert device_of(officer).verify_token(code)
    assert not device_of(officer).verify_token(code)


def test_a_wrong_code_is_refused_and_slows_the_next_attempt(officer):
    device = device_of(officer)
    right = int(current_code(officer.user))
    assert not device.verify_token("%06d" % ((right + 1) % 1_000_000))
    assert not device.verify_is_allowed()[0]
    assert not device.verify_token(current_code(officer.user))


def test_a_code_that_is_not_a_number_is_refused(officer):
    assert not device_of(officer).verify_token("12 4a6")


def test_the_previous_code_is_still_accepted_within_the_tolerance(officer):
    device = device_of(officer)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time -= device.step
    assert device.verify_token("%06d" % totp.token())


def test_the_setup_link_carries_the_secret_and_the_service_name(officer, settings):
    device = device_of(officer)
    link = urlparse(device.config_url)
    query = parse_qs(link.query)
    assert link.scheme == "otpauth"
    assert link.netloc == "totp"
    assert link.path == "/Register%20to%20vote%3Aann%40council.gov.uk"
    assert query["secret"] == [b32encode(device.bin_key).decode()]
    assert query["issuer"] == [settings.OTP_TOTP_ISSUER]
    assert (query["digits"], query["period"]) == (["6"], ["30"])


def test_each_device_gets_its_own_random_secret(officer):
    other = create_officer(officer.authority)
    assert device_of(officer).key != device_of(other).key
    assert len(device_of(officer).key) == 40
