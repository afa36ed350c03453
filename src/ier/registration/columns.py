"""The electoral register's CSV columns (R.csv in the architecture), defined once.

Plain constants, importing nothing: the two doors that load a register (`ier
import-register` and the EMS API's upload, through `register.py`) and bulk
confirmation (`ier confirm`, which runs without Django) all read them from here."""

#: The register's columns, in order; `uprn` may be left out of a file.
COLUMNS = (
    "elector_id",
    "first_name",
    "middle_names",
    "surname",
    "date_of_birth",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "uprn",
)
OPTIONAL_COLUMNS = ("uprn",)
REQUIRED_COLUMNS = tuple(c for c in COLUMNS if c not in OPTIONAL_COLUMNS)
#: The column that names an elector; the others describe them.
ID_COLUMN = "elector_id"
#: The columns that describe a person and their address (bulk confirmation's
#: fields, in both of its files).
PERSON_COLUMNS = tuple(c for c in REQUIRED_COLUMNS if c != ID_COLUMN)
#: The columns that hold people's names (the name rule of validators.py applies).
NAMES = ("first_name", "middle_names", "surname")
#: Values no row may leave empty.
REQUIRED_VALUES = (ID_COLUMN, "first_name")
#: Earlier names of columns, still accepted: the EMS API's first register format.
ALIASES = {"elector_number": ID_COLUMN, "last_name": "surname"}
#: The RegisterEntry field each column fills, where its name differs.
FIELDS = {ID_COLUMN: "elector_number", "surname": "last_name"}
