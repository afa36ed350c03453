"""`ier ems-pull`: a small reference client for EMS suppliers.

It pulls the new applications of the token's authority, saves each as
OUT/<reference>.json and acknowledges them, page by page, until none are left.

Why it is safe to stop or retry at any point: a file is written (atomically) before
its application is acknowledged, so a crash at worst leaves applications that the
next run lists and writes again under the same names; an acknowledgement whose
response was lost is simply sent again, and the API reports those applications as
already acknowledged. Each application therefore reaches OUT exactly once.

Needs no Django: only httpx."""

import argparse
import functools
import json
import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

logger = logging.getLogger("ier.ems_pull")

RETRYABLE_STATUS = {429, 500, 502, 503, 504}


class PullFailed(Exception):
    pass


def add_connection_arguments(
    parser: argparse.ArgumentParser, timeout: float = 30.0
) -> None:
    """--url, --token, --timeout and --retries: how every reference client (ems-pull,
    ems-notices, ems-submit) reaches the API."""
    parser.add_argument(
        "--url", required=True, help="API root, e.g. https://register.example/api/v1"
    )
    parser.add_argument(
        "--token",
        default=os.environ.get("IER_EMS_TOKEN"),
        help="bearer token (or set IER_EMS_TOKEN, which keeps it out "
        "of the process list)",
    )
    parser.add_argument(
        "--timeout", type=float, default=timeout, help="seconds per request"
    )
    parser.add_argument("--retries", type=int, default=5, help="attempts per request")


def pulling_parser(prog: str, description: str, things: str) -> argparse.ArgumentParser:
    """The options of a client that pulls pages of `things`, saves each and
    acknowledges them."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    add_connection_arguments(parser)
    parser.add_argument(
        "--out", required=True, type=Path, help="directory for the files"
    )
    parser.add_argument("--batch", type=int, default=200, help="%s per page" % things)
    return parser


def _parser() -> argparse.ArgumentParser:
    return pulling_parser(
        "ier ems-pull",
        "Pull new applications, save each as JSON, acknowledge them.",
        "applications",
    )


def _wait_seconds(attempt: int, response: httpx.Response | None) -> float:
    if response is not None and response.headers.get("Retry-After", "").isdigit():
        return min(float(response.headers["Retry-After"]), 120.0)
    return min(0.5 * 2**attempt, 30.0)


def _send(
    client: httpx.Client,
    method: str,
    path: str,
    retries: int,
    sleep=time.sleep,
    **kwargs: Any,
) -> dict[str, Any]:
    """One request, retried on timeouts, lost connections, 429 and 5xx."""
    for attempt in range(retries):
        response = None
        try:
            response = client.request(method, path, **kwargs)
        except httpx.TransportError as error:
            logger.warning(
                "%s %s failed (%s); retrying", method, path, type(error).__name__
            )
        else:
            if response.status_code not in RETRYABLE_STATUS:
                if response.is_error:
                    raise PullFailed(
                        "%s %s: %s %s"
                        % (method, path, response.status_code, response.text[:500])
                    )
                return response.json()
            logger.warning(
                "%s %s answered %s; retrying", method, path, response.status_code
            )
        if attempt + 1 < retries:
            sleep(_wait_seconds(attempt, response))
    raise PullFailed("%s %s: no answer after %d attempts" % (method, path, retries))


def _save(out: Path, application: dict[str, Any]) -> Path:
    """Write atomically: a reader never sees half a file."""
    target = out / ("%s.json" % application["reference"])
    partial = target.with_suffix(".json.partial")
    partial.write_text(
        json.dumps(application, indent=2, sort_keys=True), encoding="utf-8"
    )
    os.replace(partial, target)
    return target


def pull(
    client: httpx.Client,
    out: Path | None,
    batch: int = 200,
    retries: int = 5,
    sleep=time.sleep,
    keep: Callable[[dict[str, Any]], Any] | None = None,
) -> dict[str, int]:
    """Pull until nothing new is left; returns how many were saved and handed over.

    Each application is kept (by default written to `out`) before it is
    acknowledged."""
    if keep is None:
        if out is None:
            raise ValueError("give a directory or a keep function")
        out.mkdir(parents=True, exist_ok=True)
        keep = functools.partial(_save, out)
    saved: set[str] = set()
    acknowledged = 0
    while True:
        page = _send(
            client,
            "GET",
            "applications",
            retries,
            sleep,
            params={"state": "new", "limit": batch},
        )
        items = page["items"]
        if not items:
            return {"saved": len(saved), "acknowledged": acknowledged}
        for application in items:
            if application["reference"] not in saved:
                keep(application)
                saved.add(application["reference"])
        references = [a["reference"] for a in items]
        result = _send(
            client,
            "POST",
            "acknowledgements",
            retries,
            sleep,
            json={"references": references},
        )
        acknowledged += len(result["acknowledged"]) + len(
            result["already_acknowledged"]
        )


def make_client(
    url: str, token: str, timeout: float, transport: httpx.BaseTransport | None = None
) -> httpx.Client:
    return httpx.Client(
        base_url=url.rstrip("/") + "/",
        headers={"Authorization": "Bearer %s" % token, "User-Agent": "ier-ems-pull/1"},
        timeout=timeout,
        transport=transport,
    )


def pulling_main(
    parser: argparse.ArgumentParser,
    pull_all: Callable[..., dict[str, int]],
    things: str,
    args: list[str],
    log: logging.Logger = logger,
) -> int:
    """The command line of a client that pulls pages of `things`, saves each and
    acknowledges them (ems-pull, ems-notices): 0 when all went, 1 when the API kept
    failing, 2 without a token."""
    options = parser.parse_args(args)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    if not options.token:
        log.error("give --token or set IER_EMS_TOKEN")
        return 2
    with make_client(options.url, options.token, options.timeout) as client:
        try:
            result = pull_all(client, options.out, options.batch, options.retries)
        except PullFailed as error:
            log.error("%s", error)
            return 1
    sys.stdout.write(
        "saved %d %s, acknowledged %d\n"
        % (result["saved"], things, result["acknowledged"])
    )
    return 0


def main(args: list[str]) -> int:
    return pulling_main(_parser(), pull, "applications", args)
