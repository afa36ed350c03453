"""The documented accuracy figures (docs/confirmation.md, "Accuracy"), asserted
on small evaluation sets: FEBRL 4 (held out) and the keying error model (the
British synthetic set: test_confirm_results).

Where the target is met, the test asserts the target. Where it is not yet met
(FEBRL 4 green recall), one test
asserts the figure measured today, so that a change that loses ground fails, and
a strict expected failure asserts the target, so that the day it is met the
suite says so and the figures in the documentation are raised with it.
"""

import pytest

from conftest import evaluate

pytestmark = pytest.mark.slow

GREEN_PRECISION = 0.998
BLOCKING_RECALL = 0.995
FEBRL_RECALL_TARGET = {True: 0.99, False: 0.98}
# Measured (docs/confirmation.md), below the targets above.
FEBRL_RECALL_NOW = {True: 0.986, False: 0.894}
KEYING_PRECISION = 0.997


@pytest.fixture(scope="module")
def febrl_runs(febrl4, febrl4_without_dates, tmp_path_factory):
    return {
        with_dates: evaluate(folder, tmp_path_factory.mktemp("febrl") / "r.csv")
        for with_dates, folder in ((True, febrl4), (False, febrl4_without_dates))
    }


@pytest.mark.parametrize("with_dates", [True, False], ids=["dates", "no dates"])
def test_febrl4_greens_are_right_and_recall_holds(febrl_runs, with_dates):
    summary, precision, recall = febrl_runs[with_dates]
    assert precision >= GREEN_PRECISION
    assert summary.evaluated.green_precision == pytest.approx(precision)
    assert recall >= FEBRL_RECALL_NOW[with_dates]
    assert summary.evaluated.blocking_recall >= BLOCKING_RECALL


@pytest.mark.xfail(strict=True, reason="FEBRL 4 recall targets not met yet")
@pytest.mark.parametrize("with_dates", [True, False], ids=["dates", "no dates"])
def test_febrl4_meets_the_recall_targets(febrl_runs, with_dates):
    _, _, recall = febrl_runs[with_dates]
    assert recall >= FEBRL_RECALL_TARGET[with_dates]


@pytest.mark.parametrize("with_dates", [True, False], ids=["dates", "no dates"])
def test_keying_errors(request, tmp_path, with_dates):
    folder = request.getfixturevalue("keyed" if with_dates else "keyed_without_dates")
    summary, precision, _ = evaluate(folder, tmp_path / "results.csv")
    assert summary.evaluated.blocking_recall >= BLOCKING_RECALL
    assert precision >= KEYING_PRECISION
