"""The node's run directory: created private, never reached through a symlink, and
refused when it is not the service user's alone."""

import os
import stat

import pytest

from ier.core.admission import InFlightCounter, default_counter_path
from ier.core.runfiles import UnsafeRunDirectory, open_private_file


def mode(path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def test_a_missing_run_directory_is_made_for_this_user_alone(tmp_path):
    run = tmp_path / "var" / "run"
    os.close(open_private_file(run, "in-flight-1"))
    assert mode(run) == 0o700
    assert mode(run / "in-flight-1") == 0o600


def test_a_run_directory_open_to_others_is_closed(tmp_path):
    run = tmp_path / "run"
    run.mkdir(mode=0o777)
    os.chmod(run, 0o777)
    os.close(open_private_file(run, "counter"))
    assert mode(run) == 0o700


def test_a_symlinked_run_directory_is_refused(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    (tmp_path / "run").symlink_to(elsewhere)
    with pytest.raises(UnsafeRunDirectory, match="symlink"):
        open_private_file(tmp_path / "run", "counter")
    assert list(elsewhere.iterdir()) == []


def test_a_planted_symlink_for_the_file_is_refused(tmp_path):
    run = tmp_path / "run"
    run.mkdir(mode=0o700)
    target = tmp_path / "target"
    target.write_bytes(b"precious")
    (run / "counter").symlink_to(target)
    with pytest.raises(UnsafeRunDirectory, match="cannot be opened safely"):
        open_private_file(run, "counter")
    assert target.read_bytes() == b"precious"


def test_a_directory_in_place_of_the_file_is_refused(tmp_path):
    run = tmp_path / "run"
    (run / "counter").mkdir(parents=True, mode=0o700)
    with pytest.raises(UnsafeRunDirectory):
        open_private_file(run, "counter")


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give a directory away")
def test_a_run_directory_of_another_user_is_refused(tmp_path):
    run = tmp_path / "run"
    run.mkdir(mode=0o700)
    os.chown(run, 65534, 65534)
    with pytest.raises(UnsafeRunDirectory, match="belongs to uid 65534"):
        open_private_file(run, "counter")


def test_the_admission_counter_lives_in_the_run_directory(tmp_path, settings):
    settings.RUN_DIR = tmp_path / "run"
    path = default_counter_path()
    assert path.parent == tmp_path / "run"
    counter = InFlightCounter(path)
    counter.add(2)
    assert InFlightCounter(path).total() == 2
    assert mode(tmp_path / "run") == 0o700
