"""The `ier` command: one entry point for every process and admin task.

Most commands are Django management commands (`ier serve` runs `serve`); a few data
tools that need no database run without Django (see STANDALONE)."""

import importlib
import os
import sys

STANDALONE = {
    "confirm": "ier.confirmation.cli:confirm_main",
    "seed-confirmation": "ier.confirmation.cli:seed_main",
    "ems-pull": "ier.api.client:main",
    "ems-submit": "ier.api.submit_client:main",
    "ems-notices": "ier.api.notices_client:main",
}

USAGE = """usage: ier COMMAND [options]

Processes:
  demo                 web + worker + identity service on SQLite, seeded
  serve                the web tier (citizen journey, portal, API)
  worker               background work: verification, duplicates, emails
  identity-service     stand-in for the government identity API

Data and admin:
  seed                 make a synthetic country (and population)
  import-authorities   load councils and registration offices
  import-onspd         load the ONS Postcode Directory
  import-addressbase   load Ordnance Survey AddressBase
  import-register      load an authority's register entries
  import-runs          list address imports, or undo one
  import-elections     load elections (EveryElection JSON or a council's CSV)
  register-check       switch "Am I registered?" on or off for a council
  apply-reorganisation move councils' postcodes, addresses and applications
  invite-officer       invite a person to the officers' portal
  rotate-keys          re-encrypt personal data under the newest key
  purge                delete personal data past its retention period
  record-health        record health checks for the uptime figures
  confirm              bulk confirmation of a register (CSV in, CSV out)
  seed-confirmation    synthetic register and reference files with truth
  ems-pull             reference EMS client: pull and acknowledge
  ems-submit           reference EMS client: send keyed applications from a CSV
  ems-notices          reference EMS client: moved-out notices, pull and acknowledge

Settings: IER_MODE=demo|production (default production; `ier demo` is always demo).
Every other Django management command works too, e.g. `ier migrate`.
"""


def _run_standalone(target: str, args: list[str]) -> int:
    module_name, func_name = target.split(":")
    func = getattr(importlib.import_module(module_name), func_name)
    return int(func(args) or 0)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        sys.stdout.write(USAGE)
        return 0
    command = args[0]
    if command in STANDALONE:
        return _run_standalone(STANDALONE[command], args[1:])
    mode = "demo" if command == "demo" else os.environ.get("IER_MODE", "production")
    os.environ["IER_MODE"] = mode
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ier.config.settings.%s" % mode)
    if {"-h", "--help"} & set(args[1:]) and _settings_problem():
        os.environ["DJANGO_SETTINGS_MODULE"] = "ier.config.settings.help"
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["ier", command.replace("-", "_"), *args[1:]])
    except ImproperlyConfigured as problem:
        sys.stderr.write("ier: %s\n" % problem)
        return 2
    return 0


def _settings_problem() -> bool:
    """Whether the settings cannot be loaded here (a secret is missing, say)."""
    from django.core.exceptions import ImproperlyConfigured

    try:
        importlib.import_module(os.environ["DJANGO_SETTINGS_MODULE"])
    except ImproperlyConfigured:
        return True
    return False


if __name__ == "__main__":
    sys.exit(main())
