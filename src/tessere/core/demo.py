"""Demo accounts: fictional staff of the demo districts, one per role, clearly marked."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from tessere.core import services
from tessere.core.models import Role, User
from tessere.territory.models import District

DEMO_PASSWORD = "tessere-demo"  # noqa: S105 - example data only, never loaded with --no-demo
DEMO_NAMESPACE = uuid.UUID("6f1c1d8e-2b0c-4f5e-9a57-7b1e4c2a9d10")


def demo_organisation_id(key: str) -> uuid.UUID:
    """The stable UUID of a demo organisation, shared with the directory's demo data."""
    return uuid.uuid5(DEMO_NAMESPACE, key)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    roles: tuple[tuple[str, str], ...]  # (district code, role)
    organisation: str = ""
    superuser: bool = False


DEMO_ACCOUNTS = [
    DemoAccount("admin", "Amministratore", "di sistema", (), superuser=True),
    DemoAccount(
        "ufficio.piano",
        "Giulia",
        "Bianchi (esempio)",
        (("piana-di-lucca", Role.PLANNER), ("cremona", Role.VIEWER)),
    ),
    DemoAccount("sindaco.lucca", "Marco", "Rossi (esempio)", (("piana-di-lucca", Role.MAYOR),)),
    DemoAccount(
        "assistente.sociale",
        "Sara",
        "Conti (esempio)",
        (("piana-di-lucca", Role.SOCIAL_WORKER),),
    ),
    DemoAccount(
        "sportello", "Luca", "Ferri (esempio)", (("piana-di-lucca", Role.ACCESS_OPERATOR),)
    ),
    DemoAccount(
        "centro.impiego",
        "Anna",
        "Galli (esempio)",
        (("piana-di-lucca", Role.EMPLOYMENT_OPERATOR),),
    ),
    DemoAccount(
        "ente.cooperativa",
        "Paolo",
        "Neri (esempio)",
        (("piana-di-lucca", Role.PROVIDER),),
        organisation="piana-di-lucca:cooperativa-sociale-il-ponte",
    ),
    DemoAccount("osservatore", "Elena", "Greco (esempio)", (("piana-di-lucca", Role.VIEWER),)),
    DemoAccount(
        "ufficio.piano.reggio", "Chiara", "Ferrari (esempio)", (("reggio-emilia", Role.PLANNER),)
    ),
    DemoAccount(
        "ufficio.piano.cremona", "Davide", "Lombardi (esempio)", (("cremona", Role.PLANNER),)
    ),
]


def load() -> list[DemoAccount]:
    """Create the demo accounts and their roles where missing."""
    districts = {d.code: d for d in District.objects.filter(is_demo=True)}
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(username=account.username).first()
        if user is None:
            user = services.create_user(
                actor=None,
                username=account.username,
                password=DEMO_PASSWORD,
                first_name=account.first_name,
                last_name=account.last_name,
                email=f"{account.username}@example.org",
                is_superuser=account.superuser,
            )
        for code, role in account.roles:
            services.grant_role(
                actor=None,
                user=user,
                district=districts[code],
                role=role,
                organisation_id=(
                    demo_organisation_id(account.organisation) if role == Role.PROVIDER else None
                ),
            )
    return DEMO_ACCOUNTS
