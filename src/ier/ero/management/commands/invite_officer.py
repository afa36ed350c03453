"""`ier invite-officer`: the first manager of an authority (after that, managers
invite their own officers in the portal). Prints the single-use invitation link."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ier.core.paths import service_link
from ier.ero.links import token_hash
from ier.ero.models import Invitation, Officer, Role
from ier.geography.models import Authority


class Command(BaseCommand):
    help = "Invite a person to the officers' portal and print their invitation link."

    def add_arguments(self, parser):
        parser.add_argument(
            "--authority", required=True, help="GSS code, e.g. E06000001"
        )
        parser.add_argument("--email", required=True)
        parser.add_argument("--role", choices=Role.values, default=Role.MANAGER)
        parser.add_argument(
            "--base-url",
            help="where the portal is served (default: IER_SERVICE_URL)",
        )

    def handle(self, *args, **options):
        authority = Authority.objects.filter(gss_code=options["authority"]).first()
        if authority is None:
            raise CommandError("No authority has GSS code %s" % options["authority"])
        email = options["email"].lower()
        if get_user_model().objects.filter(username__iexact=email).exists():
            raise CommandError("Someone with this email address already has an account")
        token = secrets.token_urlsafe(32)
        with transaction.atomic():
            user = get_user_model().objects.create_user(username=email, email=email)
            officer = Officer.objects.create(
                user=user, authority=authority, role=options["role"]
            )
            Invitation.objects.create(
                officer=officer,
                token_hash=token_hash(token),
                expires_at=timezone.now()
                + timedelta(days=settings.ERO_INVITATION_DAYS),
            )
        path = reverse("ero:invitation", args=[token])
        base = options["base_url"]
        link = base.rstrip("/") + path if base else service_link(path)
        self.stdout.write(link)
