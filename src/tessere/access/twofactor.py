"""Two-factor authentication (TOTP) for the roles that read persons.

``person_reader_required`` guards every view that shows a person: a logged-in user with a
person-reading role in the current district, verified with a TOTP device in this session;
otherwise the user is sent to enrol a device or to verify one, and comes back afterwards.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from tessere.core.forms import ItaliaFormMixin
from tessere.core.scoping import district_access

TWO_FACTOR_ROLES = ("social_worker", "access_operator", "employment_operator")


def is_verified(request: HttpRequest) -> bool:
    checker = getattr(request.user, "is_verified", None)
    return bool(checker and checker())


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("access:home")


def verification_redirect(request: HttpRequest) -> HttpResponse:
    has_device = any(devices_for_user(request.user, confirmed=True))
    name = "access:verify" if has_device else "access:enrol"
    return redirect(reverse(name) + "?" + urlencode({"next": request.get_full_path()}))


def person_reader_required(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """The view shows persons: a person-reading role here, and two-factor verification."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        district = request.district  # type: ignore[attr-defined]
        if not district or not district_access(request.user).has_role(district, *TWO_FACTOR_ROLES):
            raise PermissionDenied
        if not is_verified(request):
            return verification_redirect(request)
        return view(request, *args, **kwargs)

    return wrapper


class TokenForm(ItaliaFormMixin, forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Codice di 6 cifre dell'app di autenticazione"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    svg: str = image.to_string(encoding="unicode")
    return svg.replace("<svg ", '<svg role="img" aria-labelledby="qr-title" ', 1).replace(
        ">", f'><title id="qr-title">{_("Codice QR per l’app di autenticazione")}</title>', 1
    )


@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    """Show a new device's QR code and secret; confirm it with a first code."""
    if any(devices_for_user(request.user, confirmed=True)):
        return redirect(reverse("access:verify") + "?" + urlencode({"next": _next_url(request)}))
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=request.user, name=_("App di autenticazione"), confirmed=False
        )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("token", _("Codice non valido: riprova con quello mostrato ora dall'app."))
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "access/two_factor_enrol.html",
        {
            "form": form,
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "qr": mark_safe(qr_svg(device.config_url)),
            "next": _next_url(request),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    devices = list(devices_for_user(request.user, confirmed=True))
    if not devices:
        return redirect(reverse("access:enrol") + "?" + urlencode({"next": _next_url(request)}))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in devices:
            if device.verify_token(form.cleaned_data["token"]):
                otp_login(request, device)
                return redirect(_next_url(request))
        form.add_error("token", _("Codice non valido: riprova con quello mostrato ora dall'app."))
    return render(
        request,
        "access/two_factor_verify.html",
        {"form": form, "next": _next_url(request)},
        status=400 if request.method == "POST" else 200,
    )
