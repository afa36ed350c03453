"""`ier rotate-keys`: re-encrypt stored personal data under the first field key."""

from django.core.management.base import BaseCommand, CommandError

from ier.ops import rotation


class Command(BaseCommand):
    help = (
        "Re-encrypt National Insurance numbers, every encrypted field and evidence "
        "files under the first key in IER_FIELD_KEYS and recompute lookup hashes. "
        "Safe to stop and re-run."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would change."
        )
        parser.add_argument("--chunk-size", type=int, default=500)

    def handle(self, *args, dry_run: bool, chunk_size: int, **options):
        if chunk_size < 1:
            raise CommandError("--chunk-size must be at least 1.")
        verb = "would change" if dry_run else "changed"
        ninos = rotation.rotate_ninos(chunk_size, dry_run=dry_run)
        self.stdout.write(
            "National Insurance numbers: %d examined, %d %s."
            % (ninos.examined, ninos.changed, verb)
        )
        for model, names in rotation.encrypted_fields():
            fields = rotation.rotate_fields(model, names, chunk_size, dry_run=dry_run)
            self.stdout.write(
                "%s (%s): %d examined, %d %s."
                % (
                    model._meta.label,
                    ", ".join(names),
                    fields.examined,
                    fields.changed,
                    verb,
                )
            )
        files = rotation.rotate_evidence(dry_run=dry_run)
        self.stdout.write(
            "Evidence files: %d examined, %d %s."
            % (files.examined, files.changed, verb)
        )
