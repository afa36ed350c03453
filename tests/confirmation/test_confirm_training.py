"""Training without labels: what a level gets when the random pairs never show
it (`model._fill_unobserved_u`)."""

import math
from types import SimpleNamespace

import pytest

from ier.confirmation import model


class Level:
    def __init__(self, u, is_null_level=False):
        self._u_probability = u
        self.u_probability = u
        self.is_null_level = is_null_level


def filled(*us):
    """Return the u of each level after filling, the last level being "else"."""
    levels = [Level(None, is_null_level=True), *(Level(u) for u in us)]
    comparison = SimpleNamespace(comparison_levels=levels)
    linker = SimpleNamespace(_settings_obj=SimpleNamespace(comparisons=[comparison]))
    model._fill_unobserved_u(linker)
    return [level.u_probability for level in levels[1:]]


def test_an_unseen_level_takes_the_u_of_the_next_broader_level_seen():
    """Two strangers at one address, too rare for the sample: the u of the
    same postcode with other numbers stands in for it."""
    assert filled(1e-4, None, 1e-3, 0.99) == [1e-4, 1e-3, 1e-3, 0.99]


def test_an_unseen_level_never_takes_the_u_of_the_last_level():
    """After the level come only levels the files cannot have (a sector and a
    district, where postcodes are not British) and "else": the strangers who
    disagree are not a broader kind of the level, and their u, near 1, would
    make agreeing on the town and street count 30 bits against a match. Not
    seen among U_MAX_PAIRS random pairs, its u is taken as one in that many."""
    us = filled(1e-4, None, None, None, 0.99)
    assert us[1:4] == [pytest.approx(1 / model.U_MAX_PAIRS)] * 3
    assert us[-1] == 0.99
    # Still well below what agreeing on the street says of a match.
    assert math.log2(0.01 / us[1]) > 0
