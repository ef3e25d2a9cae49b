"""Accounts and identifiers for the load bench, written as JSON for Locust.

Run by ``run.py`` with the bench's settings: sets a known password (and, for social workers, a
TOTP device with a known key) on accounts of the generated district, adds planner accounts,
and lists the identifiers the simulated users visit (services, cases, persons, the plan).
Only for a throw-away bench database.
"""

from __future__ import annotations

import json
import os
import sys

PASSWORD = "bench-load-2026"  # noqa: S105 - a throw-away bench database
TOTP_KEY = "3132333435363738393031323334353637383930"  # hex; the same key Locust computes with


def main(district_code: str, out: str) -> None:
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tessere.access.models import Case
    from tessere.core import services as core_services
    from tessere.core.models import Membership, Role, User
    from tessere.directory.models import Service
    from tessere.planning.models import Plan
    from tessere.scale import prefix_for
    from tessere.territory.models import District

    district = District.objects.get(code=district_code)
    prefix = prefix_for(district)
    hashed = make_password(PASSWORD)
    planners = []
    for n in range(1, 9):
        username = f"bench.ufficio-piano{n}"
        user = User.objects.filter(username=username).first() or core_services.create_user(
            actor=None, username=username, password=PASSWORD
        )
        core_services.grant_role(actor=None, user=user, district=district, role=Role.PLANNER)
        planners.append(username)
    User.objects.filter(username__startswith=prefix + ".").update(password=hashed)
    workers = list(
        User.objects.filter(
            username__startswith=prefix + ".as",
            memberships__district=district,
            memberships__role=Role.SOCIAL_WORKER,
        ).order_by("username")[:60]
    )
    social_workers = []
    for user in workers:
        TOTPDevice.objects.filter(user=user).delete()
        TOTPDevice.objects.create(user=user, name="bench", key=TOTP_KEY, confirmed=True)
        cases = list(
            Case.objects.filter(district=district, manager=user)
            .order_by("-opened_on")
            .values_list("pk", "person_id", "area")[:30]
        )
        if cases:
            social_workers.append(
                {
                    "username": user.username,
                    "cases": [str(c) for c, _p, _a in cases],
                    "persons": [[str(p), a] for _c, p, a in cases],
                }
            )
    providers = list(
        Membership.objects.filter(
            district=district, role=Role.PROVIDER, user__username__startswith=prefix + "."
        ).values_list("user__username", flat=True)
    )
    plan = Plan.objects.filter(district=district, status="in_force").order_by("-pk").first()
    services = [
        str(pk)
        for pk in Service.objects.filter(district=district, is_published=True, status="active")
        .order_by("id")
        .values_list("pk", flat=True)[:500]
    ]
    data = {
        "district": district.code,
        "password": PASSWORD,
        "totp_key": TOTP_KEY,
        "planners": planners,
        "social_workers": social_workers,
        "providers": sorted(providers),
        "plan": plan.pk if plan else None,
        "services": services,
    }
    with open(out, "w") as handle:
        json.dump(data, handle)
    print(
        f"prepared: {len(planners)} planners, {len(social_workers)} social workers, "
        f"{len(providers)} providers, {len(services)} services, plan {data['plan']}"
    )


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "load_settings")
    main(sys.argv[1], sys.argv[2])
