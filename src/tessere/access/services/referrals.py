"""Intake and referrals: a closed loop with a state machine."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from tessere.access.models import (
    AccessPoint,
    Case,
    ConsentRecord,
    Contact,
    Person,
    Referral,
    ReferralEvent,
)
from tessere.access.services.cases import open_case
from tessere.access.services.persons import (
    PersonData,
    create_person,
    record_consent,
    sharing_consent,
)
from tessere.core.areas import UserArea
from tessere.core.audit import record_create, record_update, snapshot
from tessere.core.errors import DomainError, PermissionDenied
from tessere.core.models import User
from tessere.directory.models import Service
from tessere.territory.models import District

# Referrals: a closed loop with a state machine.
S = Referral.Status


PROVIDER_TRANSITIONS: dict[str, set[str]] = {
    S.SENT: {S.ACCEPTED, S.DECLINED},
    S.ACCEPTED: {S.IN_PROGRESS, S.NO_SHOW},
    S.IN_PROGRESS: {S.COMPLETED, S.NO_SHOW},
}


SENDER_TRANSITIONS: dict[str, set[str]] = {
    S.SENT: {S.CANCELLED},
    S.ACCEPTED: {S.CANCELLED},
    S.IN_PROGRESS: {S.CANCELLED},
}


TERMINAL = {S.DECLINED, S.COMPLETED, S.NO_SHOW, S.CANCELLED}


def allowed_transitions(status: str) -> set[str]:
    return PROVIDER_TRANSITIONS.get(status, set()) | SENDER_TRANSITIONS.get(status, set())


@transaction.atomic
def send_referral(
    *, actor: User, person: Person, service: Service, request: str, case: Case | None = None
) -> Referral:
    """Send ``person`` to a directory service; refused without a consent to share."""
    if service.district_id != person.district_id:
        raise DomainError(_("Il servizio non appartiene a questo ambito."))
    if service.status != Service.Status.ACTIVE:
        raise DomainError(_("Il servizio non è attivo."))
    if case is not None and case.person_id != person.pk:
        raise DomainError(_("La persona non corrisponde al caso."))
    if not request.strip():
        raise DomainError(_("Scrivi che cosa si chiede all'ente."))
    consent = sharing_consent(person)
    if consent is None:
        raise DomainError(
            _(
                "Manca il consenso della persona alla condivisione dei dati con l'ente: "
                "registralo prima dell'invio."
            )
        )
    referral = Referral.objects.create(
        district_id=person.district_id,
        person=person,
        case=case,
        service=service,
        organisation_id=service.organisation_id,
        consent=consent,
        request=request,
        created_by=actor,
    )
    record_create(actor=actor, obj=referral, district_id=referral.district_id)
    ReferralEvent.objects.create(
        district_id=referral.district_id,
        referral=referral,
        from_status="",
        to_status=S.SENT,
        actor=actor,
        actor_label=actor.get_username(),
    )
    return referral


@transaction.atomic
def transition_referral(
    *, actor: User, referral: Referral, to_status: str, note: str = "", reason: str = ""
) -> Referral:
    """Move a referral on; the provider answers, the sender may cancel; anything else is
    refused and nothing changes."""
    referral = (
        Referral.objects.select_for_update(of=("self",)).select_related("case").get(pk=referral.pk)
    )
    current = referral.status
    if to_status not in S.values:
        raise DomainError(_("Stato sconosciuto."))
    if to_status not in allowed_transitions(current):
        raise DomainError(
            _("Un invio «%(from)s» non può passare a «%(to)s».")
            % {"from": S(current).label, "to": S(to_status).label}
        )
    if to_status in PROVIDER_TRANSITIONS.get(current, set()):
        if not actor.has_perm("access.handle_referral", referral):
            raise PermissionDenied(_("Solo l'ente destinatario può rispondere all'invio."))
    elif not actor.has_perm("access.cancel_referral", referral):
        raise PermissionDenied(_("Solo chi segue il caso può annullare l'invio."))
    if to_status == S.DECLINED and not reason.strip():
        raise DomainError(_("Indica il motivo del rifiuto."))
    before = snapshot(referral)
    referral.status = to_status
    if to_status == S.DECLINED:
        referral.decline_reason = reason.strip()
    referral.save(update_fields=["status", "decline_reason", "updated_at"])
    record_update(actor=actor, obj=referral, before=before, district_id=referral.district_id)
    ReferralEvent.objects.create(
        district_id=referral.district_id,
        referral=referral,
        from_status=current,
        to_status=to_status,
        actor=actor,
        actor_label=actor.get_username(),
        note=(reason or note)[:300],
    )
    return referral


@transaction.atomic
def record_intake(
    *,
    actor: User,
    district: District,
    channel: str,
    area: str,
    reason: str,
    outcome: str,
    person: Person | None = None,
    new_person: PersonData | None = None,
    allow_similar: bool = False,
    access_point: AccessPoint | None = None,
    sharing_consent_given: bool = False,
    service: Service | None = None,
    request: str = "",
    manager: User | None = None,
) -> Contact:
    """An intake on one screen: the person (found or new), the reason, the channel and the
    outcome; a referral or a case is made at once when that is the outcome."""
    problems = []
    if channel not in Contact.Channel.values:
        problems.append(_("Scegli il canale."))
    if area not in UserArea.values:
        problems.append(_("Scegli l'area."))
    if not reason.strip():
        problems.append(_("Scrivi il motivo dell'accesso."))
    if outcome not in Contact.Outcome.values:
        problems.append(_("Scegli l'esito."))
    if outcome == Contact.Outcome.REFERRAL and service is None:
        problems.append(_("Per un invio scegli il servizio."))
    if outcome == Contact.Outcome.CASE_OPENED and manager is None:
        problems.append(_("Per aprire una presa in carico scegli il responsabile del caso."))
    if person is None and new_person is None:
        problems.append(_("Scegli una persona già registrata o inserisci i dati di una nuova."))
    if access_point is not None and access_point.district_id != district.pk:
        problems.append(_("Il punto di accesso non appartiene a questo ambito."))
    if problems:
        raise DomainError(_("Accesso non registrato."), details=problems)
    if person is None:
        assert new_person is not None
        person = create_person(
            actor=actor, district=district, data=new_person, allow_similar=allow_similar
        )
    elif person.district_id != district.pk:
        raise DomainError(_("La persona non appartiene a questo ambito."))
    if sharing_consent_given:
        record_consent(actor=actor, person=person, purpose=ConsentRecord.Purpose.SHARING)
    contact = Contact(
        district=district,
        person=person,
        access_point=access_point,
        operator=actor,
        channel=channel,
        area=area,
        reason=reason.strip(),
        outcome=outcome,
    )
    if outcome == Contact.Outcome.REFERRAL:
        assert service is not None
        contact.referral = send_referral(
            actor=actor, person=person, service=service, request=request or reason
        )
    elif outcome == Contact.Outcome.CASE_OPENED:
        assert manager is not None
        contact.case = open_case(
            actor=actor, person=person, area=area, manager=manager, access_point=access_point
        )
    contact.save()
    record_create(actor=actor, obj=contact, district_id=district.pk)
    return contact
