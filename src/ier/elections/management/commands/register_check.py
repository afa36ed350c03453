from django.core.management.base import BaseCommand, CommandError

from ier.elections.models import RegisterCheckCouncil
from ier.geography.models import Authority


class Command(BaseCommand):
    help = 'Switch "Am I registered?" on or off for a council (by GSS code), or list.'

    def add_arguments(self, parser):
        parser.add_argument("--enable", metavar="GSS")
        parser.add_argument("--disable", metavar="GSS")

    def handle(self, *args, **options):
        code = options["enable"] or options["disable"]
        if code:
            authority = Authority.objects.filter(gss_code=code).first()
            if authority is None:
                raise CommandError("There is no council %s" % code)
            if options["enable"]:
                RegisterCheckCouncil.objects.get_or_create(authority=authority)
            else:
                RegisterCheckCouncil.objects.filter(authority=authority).delete()
        for council in RegisterCheckCouncil.objects.select_related("authority"):
            self.stdout.write(
                "%s %s (since %s)"
                % (
                    council.authority.gss_code,
                    council.authority.name,
                    council.enabled_at,
                )
            )
