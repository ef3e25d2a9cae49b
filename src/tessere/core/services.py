"""Operations on accounts and roles (one transaction each, audited)."""

from __future__ import annotations

import uuid

from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from tessere.core import audit
from tessere.core.errors import DomainError
from tessere.core.models import Membership, Role, User
from tessere.territory.models import District


@transaction.atomic
def grant_role(
    *,
    actor: User | None,
    user: User,
    district: District,
    role: str,
    organisation_id: uuid.UUID | None = None,
) -> Membership:
    """Give ``user`` a role in ``district``; a provider must be bound to an organisation."""
    if role not in Role.values:
        raise DomainError(_("Ruolo «%(role)s» sconosciuto.") % {"role": role})
    if role == Role.PROVIDER and organisation_id is None:
        raise DomainError(_("Un ente erogatore deve essere associato a un ente."))
    if role != Role.PROVIDER and organisation_id is not None:
        raise DomainError(_("Solo il ruolo di ente erogatore si associa a un ente."))
    membership, created = Membership.objects.get_or_create(
        user=user, district=district, role=role, defaults={"organisation_id": organisation_id}
    )
    if created:
        audit.record_create(actor=actor, obj=membership, district_id=district.pk)
    elif membership.organisation_id != organisation_id:
        before = audit.snapshot(membership)
        membership.organisation_id = organisation_id
        membership.save(update_fields=["organisation_id"])
        audit.record_update(actor=actor, obj=membership, before=before, district_id=district.pk)
    return membership


@transaction.atomic
def revoke_role(*, actor: User | None, user: User, district: District, role: str) -> None:
    membership = Membership.objects.filter(user=user, district=district, role=role).first()
    if membership is None:
        raise DomainError(_("L'utente non ha questo ruolo nell'ambito."))
    revoke_membership(actor=actor, membership=membership)


@transaction.atomic
def revoke_membership(*, actor: User | None, membership: Membership) -> None:
    """Take a role away; the district always keeps at least one planner."""
    if (
        membership.role == Role.PLANNER
        and not Membership.objects.filter(district_id=membership.district_id, role=Role.PLANNER)
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise DomainError(
            _(
                "L'ambito deve avere almeno un componente dell'Ufficio di Piano: "
                "nomina prima un altro."
            )
        )
    audit.record_delete(actor=actor, obj=membership, district_id=membership.district_id)
    membership.delete()


def _send_welcome(user: User, *, domain: str, use_https: bool) -> None:
    """E-mail a new account a one-time link to choose its password."""
    context = {
        "email": user.email,
        "domain": domain,
        "site_name": domain,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
        "protocol": "https" if use_https else "http",
    }
    PasswordResetForm().send_mail(
        "registration/welcome_subject.txt",
        "registration/welcome_email.txt",
        context,
        None,
        user.email,
    )


@transaction.atomic
def invite_staff(
    *,
    actor: User,
    district: District,
    email: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    organisation_id: uuid.UUID | None = None,
    domain: str = "localhost",
    use_https: bool = False,
) -> Membership:
    """Give a role to the person with this e-mail; a new person gets an account and an e-mail
    with a link to choose a password."""
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise DomainError(_("Indirizzo e-mail non valido: %(email)s") % {"email": email}) from None
    user = User.objects.filter(email__iexact=email).order_by("pk").first()
    created = user is None
    if user is None:
        if User.objects.filter(username=email).exists():
            raise DomainError(_("Il nome utente «%(name)s» è già in uso.") % {"name": email})
        user = User(username=email, email=email, first_name=first_name, last_name=last_name)
        user.set_unusable_password()
        user.save()
        audit.record_create(actor=actor, obj=user, district_id=district.pk)
    membership = grant_role(
        actor=actor, user=user, district=district, role=role, organisation_id=organisation_id
    )
    if created:
        transaction.on_commit(lambda: _send_welcome(user, domain=domain, use_https=use_https))
    return membership


@transaction.atomic
def create_user(
    *,
    actor: User | None,
    username: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    is_superuser: bool = False,
) -> User:
    if User.objects.filter(username=username).exists():
        raise DomainError(_("Il nome utente «%(name)s» è già in uso.") % {"name": username})
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        is_superuser=is_superuser,
        is_staff=is_superuser,
    )
    user.set_password(password)
    user.save()
    audit.record_create(actor=actor, obj=user, district_id=None)
    return user
