"""The simulated users of the load bench (run by ``run.py``; reads the JSON of ``prepare.py``
from ``LOAD_DATA``). By default no think time: each simulated user sends its next request as
soon as the previous one is answered, so the number of users is the number of requests in
flight. ``LOAD_THINK`` (seconds, ``run.py --think``) makes each user wait between half and one
and a half times that between requests, as people reading a page do (not the ceiling's user).
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import os
import random
import re
import struct
import time
from typing import Any

from locust import FastHttpUser, between, constant, task

with open(os.environ["LOAD_DATA"]) as _handle:
    DATA: dict[str, Any] = json.load(_handle)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
WORDS = ["anziani", "assistenza domiciliare", "lavoro", "famiglia", "disabilità", "casa", ""]
_workers = itertools.cycle(DATA["social_workers"])
_planners = itertools.cycle(DATA["planners"])
_providers = itertools.cycle(DATA["providers"] or [""])
THINK = float(os.environ.get("LOAD_THINK") or 0)


def totp(key_hex: str, at: float | None = None) -> str:
    """RFC 6238 with django-otp's defaults (SHA-1, 30-second steps, 6 digits)."""
    counter = int((time.time() if at is None else at) // 30)
    mac = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    code = (struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


class TessereUser(FastHttpUser):
    abstract = True
    wait_time = between(THINK / 2, THINK * 1.5) if THINK else constant(0)

    def form_post(self, url: str, data: dict[str, str], name: str, form_name: str = "") -> None:
        """GET the form (for its CSRF token), POST it, expect a redirect (302)."""
        page = self.client.get(url, name=form_name or f"{name} (form)")
        match = CSRF.search(page.text or "")
        data = {**data, "csrfmiddlewaretoken": match.group(1) if match else ""}
        with self.client.post(
            url,
            data=data,
            name=name,
            headers={"Referer": self.host + url},
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 302:
                response.success()
            else:
                response.failure(f"{name}: {response.status_code} instead of 302")

    def login(self, username: str) -> None:
        self.form_post("/accedi/", {"username": username, "password": DATA["password"]}, "login")


class OneRow(TessereUser):
    """The ceiling: a bare Django view that reads one row."""

    wait_time = constant(0)

    @task
    def one_row(self) -> None:
        self.client.get("/bench/one-row", name="bare view (one row)")


class Citizen(TessereUser):
    weight = 4

    @task(4)
    def search(self) -> None:
        q = random.choice(WORDS)
        self.client.get(f"/guida/{DATA['district']}/?q={q}", name="guide search")

    @task(3)
    def service(self) -> None:
        pk = random.choice(DATA["services"])
        self.client.get(f"/guida/{DATA['district']}/servizi/{pk}/", name="service page")

    @task(1)
    def public_plan(self) -> None:
        self.client.get(f"/piano/{DATA['plan']}/pubblico/", name="public plan")

    @task(2)
    def accountability(self) -> None:
        self.client.get(f"/monitoraggio/{DATA['district']}/", name="accountability page")


class Planner(TessereUser):
    weight = 2

    def on_start(self) -> None:
        self.login(next(_planners))

    @task
    def profile(self) -> None:
        self.client.get(f"/profilo/ambito/{DATA['district']}/", name="profile")

    @task
    def plan(self) -> None:
        self.client.get(f"/piano/{DATA['plan']}/", name="plan (planner)")

    @task
    def dashboard(self) -> None:
        self.client.get(f"/monitoraggio/{DATA['district']}/cruscotto/", name="monitoring dashboard")


class SocialWorker(TessereUser):
    weight = 3

    def on_start(self) -> None:
        self.me = next(_workers)
        self.login(self.me["username"])
        self.form_post(
            "/sportello/verifica-in-due-passaggi/?next=/sportello/casi/",
            {"token": totp(DATA["totp_key"])},
            "two-factor verification",
        )

    @task(4)
    def case_list(self) -> None:
        page = random.choice((1, 1, 1, 2, 3))
        self.client.get(f"/sportello/casi/?page={page}", name="case list")

    @task(4)
    def case_page(self) -> None:
        pk = random.choice(self.me["cases"])
        self.client.get(f"/sportello/casi/{pk}/", name="case page")

    @task(1)
    def service_suggestions(self) -> None:
        q = random.choice(WORDS)
        self.client.get(f"/sportello/servizi/cerca/?service_q={q}", name="service suggestions")

    @task(1)
    def intake(self) -> None:
        person, area = random.choice(self.me["persons"])
        self.form_post(
            f"/sportello/accoglienza/?persona={person}",
            {
                "person": person,
                "code_kind": "cf",
                "channel": "phone",
                "area": area,
                "reason": "Richiesta di informazioni (prova di carico)",
                "outcome": "information",
            },
            "intake (POST)",
            form_name="intake form (GET)",
        )


class Provider(TessereUser):
    weight = 1

    def on_start(self) -> None:
        self.login(next(_providers))

    @task
    def inbox(self) -> None:
        self.client.get("/sportello/ente/invii/", name="referral inbox")
