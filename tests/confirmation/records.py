"""One record on each side, normalised as `ier confirm` prepares its files, for
tests that look at how two records compare."""

import duckdb

from ier.confirmation import normalise
from ier.registration.columns import REQUIRED_COLUMNS


def normalised_pair(left: dict, right: dict) -> duckdb.DuckDBPyConnection:
    """A connection holding tables `norm_l` and `norm_r`, one record each, from
    the raw fields (as in the register file) of `left` and `right`."""
    con = duckdb.connect()
    normalise.install_macros(con)
    for side, fields in (("l", left), ("r", right)):
        values = {name: fields.get(name) for name in REQUIRED_COLUMNS}
        values["elector_id"] = side
        con.execute(
            f"CREATE TABLE raw_{side} AS SELECT 1 AS row_number, "
            + ", ".join("?::VARCHAR AS %s" % name for name in REQUIRED_COLUMNS),
            [values[name] for name in REQUIRED_COLUMNS],
        )
        con.execute(
            f"CREATE TABLE norm_{side} AS "
            + normalise.normalised_sql(f"raw_{side}", "elector_id")
        )
    return con
