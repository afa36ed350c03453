"""Registration deadlines, computed by the law rather than typed in.

An application counts for an election if the registration officer receives it by
midnight at the end of the 12th working day before polling day. Saturdays, Sundays,
Christmas Eve, Christmas Day, Good Friday, bank holidays in the part of the United
Kingdom where the election is held, and days appointed for public thanksgiving or
mourning are not working days. The sources are in docs/rules.md."""

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from ier.geography.models import Nation

WORKING_DAYS_BEFORE_POLL = 12
#: The law counts in UK time, whatever the server's clock says.
UK_TIME = ZoneInfo("Europe/London")
#: Each nation's bank holidays (and the special days proclaimed for thanksgiving or
#: mourning) as the `holidays` library's subdivisions of the United Kingdom.
HOLIDAY_REGIONS = {
    Nation.ENGLAND: "ENG",
    Nation.WALES: "WLS",
    Nation.SCOTLAND: "SCT",
    Nation.NORTHERN_IRELAND: "NIR",
}
CHRISTMAS_EVE = (12, 24)
CHRISTMAS_DAY = (12, 25)


@lru_cache(maxsize=64)
def _bank_holidays(nation: str, year: int) -> frozenset[date]:
    region = HOLIDAY_REGIONS[Nation(nation)]
    return frozenset(holidays.country_holidays("GB", subdiv=region, years=year))


def is_working_day(day: date, nation: str) -> bool:
    """Whether `day` counts towards an election timetable in `nation`. Good Friday
    is a bank holiday throughout the United Kingdom, so the library lists it."""
    if day.weekday() >= 5 or (day.month, day.day) in (CHRISTMAS_EVE, CHRISTMAS_DAY):
        return False
    return day not in _bank_holidays(nation, day.year)


def deadline_day(poll_date: date, nation: str) -> date:
    """The last day on which an application counts for a poll on `poll_date`."""
    day = poll_date
    counted = 0
    while counted < WORKING_DAYS_BEFORE_POLL:
        day -= timedelta(days=1)
        counted += is_working_day(day, nation)
    return day


def end_of_day(day: date) -> datetime:
    """Midnight at the end of `day`, UK time, as an aware moment."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=UK_TIME)


def deadline(poll_date: date, nation: str) -> datetime:
    """The moment after which an application no longer counts for the poll."""
    return end_of_day(deadline_day(poll_date, nation))


def day_of(moment: datetime) -> date:
    """The deadline day a deadline moment (midnight at its end) closes."""
    return (moment.astimezone(UK_TIME) - timedelta(minutes=1)).date()
