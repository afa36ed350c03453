"""Elections as a person reads them, in the page's language."""

from datetime import date

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ier.elections.upcoming import Upcoming

#: EveryElection's election types, named for people (their titles are English).
NAMES = {
    "parl": gettext_lazy("UK Parliament election"),
    "senedd": gettext_lazy("Senedd election"),
    "naw": gettext_lazy("Senedd election"),
    "sp": gettext_lazy("Scottish Parliament election"),
    "gla": gettext_lazy("London Assembly election"),
    "mayor": gettext_lazy("Mayoral election"),
    "pcc": gettext_lazy("Police and crime commissioner election"),
    "ref": gettext_lazy("Referendum"),
}


#: First words of a name that are common nouns or adjectives, in either language:
#: written in lower case inside a sentence ("for the mayoral election", "ar gyfer
#: isetholiad Cyngor Caerdydd"); other names start with a proper noun.
COMMON_FIRST_WORDS = frozenset(
    {"Mayoral", "Police", "Referendum", "Etholiad", "Isetholiad", "Refferendwm"}
)


def election_name(election: Upcoming, in_sentence: bool = False) -> str:
    """ "Senedd election"; "Cardiff Council election"; "Cardiff Council
    by-election in Splott" for one ward's poll. `in_sentence`: as it reads after
    "for the" ("ar gyfer")."""
    name = _name(election)
    if in_sentence and name.split(" ", 1)[0] in COMMON_FIRST_WORDS:
        return name[0].lower() + name[1:]
    return name


def _name(election: Upcoming) -> str:
    if election.election_type == "parl" and election.division:
        return _("UK Parliament by-election in %(constituency)s") % {
            "constituency": election.division
        }
    if election.election_type in NAMES:
        return str(NAMES[election.election_type])
    council = election.council
    if translation.get_language() == "cy" and election.council_cy:
        council = election.council_cy
    if election.division:
        return _("%(council)s by-election in %(division)s") % {
            "council": council,
            "division": election.division,
        }
    return _("%(council)s election") % {"council": council}


def day_long(value: date) -> str:
    """ "Tuesday 18 June 2024", in the page's language, as it reads after "on":
    every sentence here puts it there ("Apply by 11:59pm on ..."), and Welsh "ar"
    softens the day after it ("ar ddydd Mawrth 18 Mehefin 2024")."""
    day = date_format(value, "l j F Y")
    if translation.get_language() == "cy" and day.startswith("Dydd "):
        return "ddydd" + day[len("Dydd") :]
    return day
