"""Writing output files so that a reader never sees half of one."""

import contextlib
import os
from pathlib import Path


@contextlib.contextmanager
def atomic_output(path: Path):
    """Yield a temporary path beside `path`; rename it onto `path` on success.

    On any error (or a kill before the rename) `path` is untouched: it either
    does not exist or holds the previous complete output.
    """
    path = Path(path)
    partial = path.with_name(f".{path.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        yield partial
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
