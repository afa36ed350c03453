"""Files a node keeps while it runs (the admission counter), in a directory of its own.

A predictable name in a shared directory such as /dev/shm or /tmp lets another local
user create the file first, or plant a symlink there, and so read, corrupt or
redirect it (CWE-377). Here the directory must belong to the service's user and be
closed to everyone else, and neither it nor the file is ever reached through a
symlink. The directory is opened first and the file looked up relative to it, so
nothing can be swapped in between the check and the open."""

import os
import stat
from pathlib import Path

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


class UnsafeRunDirectory(RuntimeError):
    """The run directory or file is not this user's alone; the message says why."""


def _open_private_directory(directory: Path) -> int:
    # Made with 0700 if missing; the umask can only narrow that.
    directory.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    try:
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError as error:
        raise UnsafeRunDirectory(
            "%s is not a directory (or is a symlink): %s" % (directory, error)
        ) from None
    info = os.fstat(fd)
    if info.st_uid != os.geteuid():
        os.close(fd)
        raise UnsafeRunDirectory(
            "%s belongs to uid %d, not to this service's user"
            % (directory, info.st_uid)
        )
    if stat.S_IMODE(info.st_mode) & 0o077:
        # Ours, but open to others (made by hand, or by an older release): close it.
        os.fchmod(fd, PRIVATE_DIR_MODE)
    return fd


def run_directory_problem(directory: Path) -> str:
    """Why `directory` cannot serve as the run directory, or "" if it can (it is
    created, or closed to others, as a node would on its first request)."""
    try:
        os.close(_open_private_directory(directory))
    except (UnsafeRunDirectory, OSError) as error:
        return str(error)
    return ""


def open_private_file(directory: Path, name: str) -> int:
    """A read-write descriptor for `name` in `directory`, created 0600 if missing.

    `directory` is created 0700 if missing; it must be a real directory owned by
    this user (group and other access is removed). The file must be a regular
    file owned by this user."""
    directory_fd = _open_private_directory(directory)
    try:
        fd = os.open(
            name,
            os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW,
            PRIVATE_FILE_MODE,
            dir_fd=directory_fd,
        )
    except OSError as error:
        raise UnsafeRunDirectory(
            "%s cannot be opened safely: %s" % (directory / name, error)
        ) from None
    finally:
        os.close(directory_fd)
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid():
        os.close(fd)
        raise UnsafeRunDirectory(
            "%s is not a regular file of this service's user" % (directory / name)
        )
    if stat.S_IMODE(info.st_mode) & 0o077:
        os.fchmod(fd, PRIVATE_FILE_MODE)
    return fd
