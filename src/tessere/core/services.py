"""Operations on accounts and roles (one transaction each, audited)."""

from __future__ import annotations

import uuid

from django.db import transaction
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
    audit.record_delete(actor=actor, obj=membership, district_id=district.pk)
    membership.delete()


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
