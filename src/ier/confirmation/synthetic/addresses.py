"""Recorded addresses with realistic UK recording errors, from `address-errors`.

`address-errors` learned from council records how British organisations mis-record
addresses (dropped flat numbers, added house names, abbreviated or mangled street
names, postcode slips, ...). Each side of the synthetic data is one "source" with
its own house style, so the register and the reference disagree the way two real
organisations do.
"""

from typing import Any

from address_errors import Controls, Corruptor, Noise, Profile, add_context
from address_errors.context import COLUMNS
from address_errors.pipeline.reference import derive_columns

from ier.confirmation.synthetic.recording import REFERENCE, REGISTER

# More errors than the learned profile (prevalence), plus a little keying noise:
# a bulk-confirmation test should be harder than an average council's records.
SOURCE_SETTINGS: dict[str, dict[str, Any]] = {
    REGISTER: {"style": "leeds", "rates": "council", "prevalence": 2.0},
    REFERENCE: {"style": None, "rates": "pooled", "prevalence": 2.0},
}
NOISE_RATE = 0.03


def _components(addresses):
    records = []
    for address in addresses:
        record = dict.fromkeys(COLUMNS, "")
        record.update(
            uprn=str(address.key),
            feature_type="builtaddress",
            classificationcode="RD04",
            subname=address.subname.upper(),
            name=address.name.upper(),
            number=address.number,
            streetname=address.street.upper(),
            townname=address.town.upper(),
            postcode=address.postcode,
            usrn=str(address.street_key),
        )
        records.append(record)
    derive_columns(records)
    return add_context(records)


def gazetteer(addresses):
    """Return the dwellings as the address-errors package reads them, for
    `recorded_addresses`: one list serves both sides (the package only reads it)."""
    return _components(addresses)


def recorded_addresses(components, keys, side, seed):
    """Return {address key: (line 1, line 2, town, postcode)} as `side` wrote them.

    `components` is `gazetteer(addresses)`. Only the addresses in `keys` are
    written; everyone at one address shares its recorded form, as one household
    is usually recorded once.
    """
    settings = SOURCE_SETTINGS[side]
    controls = Controls(
        prevalence=settings["prevalence"],
        commas=True,
        postcode="with_errors",
        noise=Noise(rate=NOISE_RATE),
    )
    corruptor = Corruptor(
        Profile.load(),
        style=settings["style"],
        seed=seed,
        controls=controls,
        rates=settings["rates"],
        source_id=side,
    )
    corruptor.index(components)
    rows = corruptor.generate([str(key) for key in sorted(keys)])
    return {
        int(row["assigned_uprn"]): (
            *_lines(row["recorded_address"]),
            row["recorded_postcode"],
        )
        for row in rows
    }


def _lines(recorded: str) -> tuple[str, str, str]:
    """Split "Flat 2, 18, High Street, Town" into two address lines and a town."""
    parts = [part.strip() for part in recorded.split(",") if part.strip()]
    joined: list[str] = []
    for part in parts:
        # A bare house number belongs with the street that follows it.
        if joined and _is_number(joined[-1]):
            joined[-1] = f"{joined[-1]} {part}"
        else:
            joined.append(part)
    if len(joined) == 1:
        return joined[0], "", ""
    town = joined.pop()
    return joined[0], ", ".join(joined[1:]), town


def _is_number(text: str) -> bool:
    return text[:1].isdigit() and " " not in text
