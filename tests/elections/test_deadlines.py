"""The registration deadline: midnight at the end of the 12th working day before
polling day, counted with each part of the United Kingdom's own bank holidays."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from ier.elections.deadlines import deadline, deadline_day, is_working_day
from ier.geography.models import Nation

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("poll", "nation", "published"),
    [
        # General election, 4 July 2024: deadline Tuesday 18 June 2024 everywhere.
        (date(2024, 7, 4), Nation.ENGLAND, date(2024, 6, 18)),
        (date(2024, 7, 4), Nation.SCOTLAND, date(2024, 6, 18)),
        (date(2024, 7, 4), Nation.WALES, date(2024, 6, 18)),
        # Local and PCC elections, 2 May 2024: Tuesday 16 April 2024.
        (date(2024, 5, 2), Nation.ENGLAND, date(2024, 4, 16)),
        (date(2024, 5, 2), Nation.WALES, date(2024, 4, 16)),
        # English local elections, 1 May 2025: Friday 11 April 2025 (Good Friday
        # and Easter Monday fall in the count; 14 April was the postal vote
        # deadline, 11 working days before).
        (date(2025, 5, 1), Nation.ENGLAND, date(2025, 4, 11)),
        # Senedd, Scottish Parliament and English local elections, 7 May 2026:
        # Monday 20 April 2026 (the early May bank holiday is in the count).
        (date(2026, 5, 7), Nation.WALES, date(2026, 4, 20)),
        (date(2026, 5, 7), Nation.SCOTLAND, date(2026, 4, 20)),
        (date(2026, 5, 7), Nation.ENGLAND, date(2026, 4, 20)),
        # Local and NI Assembly elections, 5 May 2022: Easter Monday (18 April) is
        # a working day in Scotland only, so Scotland's deadline was that Monday
        # and the rest of Great Britain's Thursday 14 April.
        (date(2022, 5, 5), Nation.SCOTLAND, date(2022, 4, 18)),
        (date(2022, 5, 5), Nation.ENGLAND, date(2022, 4, 14)),
        (date(2022, 5, 5), Nation.WALES, date(2022, 4, 14)),
        # Scottish Parliament elections, 6 May 2021: Monday 19 April 2021.
        (date(2021, 5, 6), Nation.SCOTLAND, date(2021, 4, 19)),
    ],
)
def test_published_deadlines(poll, nation, published):
    """The deadlines the Electoral Commission published for recent polls."""
    assert deadline_day(poll, nation) == published


def test_the_deadline_is_midnight_at_the_end_of_the_day_in_uk_time():
    """Summer time is honoured: 23:00 UTC on 18 June 2024 is midnight in London."""
    moment = deadline(date(2024, 7, 4), Nation.ENGLAND)
    assert moment == datetime(2024, 6, 19, 0, 0, tzinfo=LONDON)
    assert moment.utcoffset().total_seconds() == 3600


def test_easter_monday_counts_in_scotland_but_not_in_england():
    """Easter Monday is a bank holiday in England and Wales, not in Scotland: a
    poll on 1 May 2025 has a deadline one working day later in Scotland."""
    assert not is_working_day(date(2025, 4, 21), Nation.ENGLAND)
    assert is_working_day(date(2025, 4, 21), Nation.SCOTLAND)
    assert deadline_day(date(2025, 5, 1), Nation.SCOTLAND) == date(2025, 4, 14)


def test_good_friday_is_not_a_working_day_anywhere():
    for nation in (Nation.ENGLAND, Nation.WALES, Nation.SCOTLAND):
        assert not is_working_day(date(2026, 4, 3), nation)


def test_christmas_eve_is_not_a_working_day_though_not_a_bank_holiday():
    """24 December 2025 is a Wednesday; the timetable rules leave it out."""
    assert not is_working_day(date(2025, 12, 24), Nation.ENGLAND)
    assert is_working_day(date(2025, 12, 23), Nation.ENGLAND)


def test_a_poll_after_christmas_counts_past_the_holidays():
    """A by-election on Thursday 8 January 2026 in England: 1 January, Boxing Day,
    Christmas Day and Christmas Eve (a Wednesday) do not count, so the deadline is
    Wednesday 17 December 2025."""
    assert deadline_day(date(2026, 1, 8), Nation.ENGLAND) == date(2025, 12, 17)


def test_scotland_also_skips_the_second_of_january():
    """2 January is a bank holiday in Scotland only: for a poll on Thursday 15
    January 2026 the count reaches back over Christmas in Scotland (23 December)
    but stops at 29 December in England."""
    assert deadline_day(date(2026, 1, 15), Nation.ENGLAND) == date(2025, 12, 29)
    assert deadline_day(date(2026, 1, 15), Nation.SCOTLAND) == date(2025, 12, 23)


def test_st_andrews_day_counts_only_outside_scotland():
    """30 November 2026 is a Monday and a bank holiday in Scotland."""
    assert not is_working_day(date(2026, 11, 30), Nation.SCOTLAND)
    assert is_working_day(date(2026, 11, 30), Nation.ENGLAND)
