"""Each page of the load mix once, alone: time, number of SQL queries, and the slowest query.

Usage: PYTHONPATH=bench/load DJANGO_SETTINGS_MODULE=load_settings \
       .venv/bin/python bench/load/pages.py DATA.json   (the JSON written by prepare.py)

Finds why a page is slow under load (run.py) without the noise of concurrency.
"""

from __future__ import annotations

import json
import sys
import time


def main(path: str) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tessere.core.models import User

    settings.ALLOWED_HOSTS = ["testserver"]
    with open(path) as handle:
        data = json.load(handle)
    code, plan = data["district"], data["plan"]
    worker = data["social_workers"][0]

    def client_for(username: str | None, verified: bool = False) -> Client:
        client = Client()
        if username:
            user = User.objects.get(username=username)
            client.force_login(user)
            if verified:
                session = client.session
                device = TOTPDevice.objects.filter(user=user).first()
                assert device is not None
                session[DEVICE_ID_SESSION_KEY] = device.persistent_id
                session.save()
        return client

    citizen = client_for(None)
    planner = client_for(data["planners"][0])
    social = client_for(worker["username"], verified=True)
    provider = client_for(data["providers"][0]) if data["providers"] else citizen
    pages = [
        ("bare view (one row)", citizen, "/bench/one-row"),
        ("guide search", citizen, f"/guida/{code}/?q=anziani"),
        ("service page", citizen, f"/guida/{code}/servizi/{data['services'][0]}/"),
        ("public plan", citizen, f"/piano/{plan}/pubblico/"),
        ("accountability page", citizen, f"/monitoraggio/{code}/"),
        ("profile", planner, f"/profilo/ambito/{code}/"),
        ("plan (planner)", planner, f"/piano/{plan}/"),
        ("monitoring dashboard", planner, f"/monitoraggio/{code}/cruscotto/"),
        ("case list", social, "/sportello/casi/"),
        ("case page", social, f"/sportello/casi/{worker['cases'][0]}/"),
        ("intake form (GET)", social, "/sportello/accoglienza/"),
        ("service suggestions", social, "/sportello/servizi/cerca/?service_q=anziani"),
        ("referral inbox", provider, "/sportello/ente/invii/"),
    ]
    print(f"{'page':<24} {'status':>6} {'ms':>7} {'queries':>7} {'slowest query ms':>16}")
    for name, client, url in pages:
        client.get(url)  # warm
        with CaptureQueriesContext(connection) as context:
            started = time.perf_counter()
            response = client.get(url)
            ms = (time.perf_counter() - started) * 1000
        slowest = max(context.captured_queries, key=lambda q: float(q["time"]), default=None)
        print(
            f"{name:<24} {response.status_code:>6} {ms:>7.0f} {len(context):>7} "
            f"{float(slowest['time']) * 1000 if slowest else 0:>16.0f}"
        )
        if slowest and float(slowest["time"]) > 0.05:
            print("    " + slowest["sql"][:400])


if __name__ == "__main__":
    main(sys.argv[1])
