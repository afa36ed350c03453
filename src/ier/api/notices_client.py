"""`ier ems-notices`: the reference client for moved-out notices.

It lists the new notices of the token's council (or of every council its
registration office serves), saves each as OUT/<reference>.json and acknowledges
them, page by page, until none are left. As with `ier ems-pull`, a file is written
before its notice is acknowledged, and an acknowledgement whose answer was lost is
sent again (the API reports those notices as already acknowledged), so each notice
reaches OUT exactly once.

Needs no Django: only httpx."""

import argparse
import logging
import time
from pathlib import Path
from typing import Any

import httpx

from ier.api.client import (
    _save,
    _send,
    pulling_main,
    pulling_parser,
)

logger = logging.getLogger("ier.ems_notices")


def _parser() -> argparse.ArgumentParser:
    return pulling_parser(
        "ier ems-notices",
        "Pull new moved-out notices, save each as JSON, acknowledge them.",
        "notices",
    )


def pull_notices(
    client: httpx.Client,
    out: Path,
    batch: int = 200,
    retries: int = 5,
    sleep=time.sleep,
) -> dict[str, int]:
    """Save and acknowledge every new notice; returns how many of each."""
    out.mkdir(parents=True, exist_ok=True)
    saved: set[str] = set()
    acknowledged = 0
    query: dict[str, Any] = {"state": "new", "limit": batch}
    while items := _send(client, "GET", "notices", retries, sleep, params=query)[
        "items"
    ]:
        for notice in items:
            if notice["reference"] not in saved:
                _save(out, notice)
                saved.add(notice["reference"])
        answer = _send(
            client,
            "POST",
            "notices/acknowledgements",
            retries,
            sleep,
            json={"references": [n["reference"] for n in items]},
        )
        acknowledged += len(answer["acknowledged"]) + len(
            answer["already_acknowledged"]
        )
    return {"saved": len(saved), "acknowledged": acknowledged}


def main(args: list[str]) -> int:
    return pulling_main(_parser(), pull_notices, "notices", args, logger)
