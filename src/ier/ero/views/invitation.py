"""Accepting an invitation: choose a password, then set up an authenticator app.
The link holds a random token, of which only a hash is kept; it works until the
app is confirmed or it expires."""

import base64

import qrcode
import qrcode.image.svg
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from ier.ero import audit
from ier.ero.access import public
from ier.ero.forms import CodeForm, SetPasswordForm
from ier.ero.links import token_hash
from ier.ero.lockout import code_error, is_throttled
from ier.ero.models import AuthenticatorDevice, Invitation


def _open_invitation(token: str) -> Invitation | None:
    if not token or len(token) > 100:
        return None
    invitation = (
        Invitation.objects.select_related("officer__user", "officer__authority")
        .filter(
            token_hash=token_hash(token),
            accepted_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .first()
    )
    return invitation


def _qr_svg(device: AuthenticatorDevice) -> str:
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    return image.to_string(encoding="unicode")


@public
@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, token: str) -> HttpResponse:
    """Protected by the unguessable, expiring, single-use token in the link."""
    invitation = _open_invitation(token)
    if invitation is None:
        return render(request, "ero/invitation_expired.html", {}, status=404)
    user = invitation.officer.user
    device = AuthenticatorDevice.objects.filter(user=user).first()
    if device is None or not user.has_usable_password():
        return _choose_password(request, user)
    return _confirm_app(request, invitation, device)


def _choose_password(request: HttpRequest, user) -> HttpResponse:
    form = SetPasswordForm(
        data=request.POST if request.method == "POST" else None, user=user
    )
    if request.method == "POST" and form.is_valid():
        user.set_password(form.cleaned_data["password"])
        user.save(update_fields=["password"])
        AuthenticatorDevice.objects.filter(user=user).delete()
        AuthenticatorDevice.objects.create(
            user=user, name="authenticator app", confirmed=False
        )
        return redirect(request.path)
    return render(
        request,
        "ero/invitation_password.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _confirm_app(
    request: HttpRequest, invitation: Invitation, device: AuthenticatorDevice
) -> HttpResponse:
    form = CodeForm(data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        throttled = is_throttled(device)
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            invitation.accepted_at = timezone.now()
            invitation.save(update_fields=["accepted_at"])
            officer = invitation.officer
            audit.record(
                officer.authority,
                officer.user.get_username(),
                "invitation_accept",
                request=request,
            )
            return redirect("ero:sign-in")
        form.add_error("code", code_error(throttled))
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "ero/invitation_app.html",
        {
            "form": form,
            "qr_svg": mark_safe(_qr_svg(device)),  # noqa: S308 - our own SVG
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        },
        status=400 if form.errors else 200,
    )
