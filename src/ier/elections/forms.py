"""The postcode question of the "elections where you live" page."""

from ier.geography.forms import ContactPostcodeForm


class ElectionsPostcodeForm(ContactPostcodeForm):
    """The same question and messages as finding your registration office."""
