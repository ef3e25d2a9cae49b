"""Form helpers: Bootstrap Italia classes and accessible error wiring on every field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from tessere.core.models import Role


class ItaliaFormMixin:
    """Adds Bootstrap Italia classes, and aria attributes linking fields to their errors."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            existing = widget.attrs.get("class", "")
            widget.attrs["class"] = f"{existing} {css}".strip()

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name, errors in getattr(self, "_errors", {}).items():
            if name in self.fields and errors:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                attrs["class"] = attrs.get("class", "") + " is-invalid"
                attrs["aria-describedby"] = f"id_{name}_error"


class LoginForm(ItaliaFormMixin, auth_forms.AuthenticationForm):
    pass


class PasswordChangeForm(ItaliaFormMixin, auth_forms.PasswordChangeForm):
    pass


class PasswordResetForm(ItaliaFormMixin, auth_forms.PasswordResetForm):
    pass


class SetPasswordForm(ItaliaFormMixin, auth_forms.SetPasswordForm):
    pass


class InviteStaffForm(ItaliaFormMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    first_name = forms.CharField(label=_("Nome"), required=False, max_length=150)
    last_name = forms.CharField(label=_("Cognome"), required=False, max_length=150)
    role = forms.ChoiceField(label=_("Ruolo"), choices=Role.choices)
    organisation_id = forms.UUIDField(
        label=_("Identificativo dell'ente (solo per gli enti erogatori)"), required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role") == Role.PROVIDER and not data.get("organisation_id"):
            self.add_error(
                "organisation_id", _("Per un ente erogatore indica l'ente a cui appartiene.")
            )
        if data.get("role") != Role.PROVIDER and data.get("organisation_id"):
            self.add_error(
                "organisation_id", _("Solo il ruolo di ente erogatore si associa a un ente.")
            )
        return data
