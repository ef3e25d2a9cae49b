"""Every page of the ground floor, for every persona: who may, who may not."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    reverse("core:home"),
    reverse("territory:district_list"),
    reverse("territory:district_detail", args=["piana-di-lucca"]),
    reverse("core:privacy"),
    reverse("core:accessibility"),
    reverse("core:licence"),
    reverse("core:credits"),
    reverse("login"),
    reverse("password_reset"),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_open_to_everyone(as_user, persona, url):
    response = as_user(persona).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    # Footer: privacy, accessibility, licence, data credits on every page.
    for target in ("core:privacy", "core:accessibility", "core:licence", "core:credits"):
        assert f'href="{reverse(target)}"' in html
    assert "Dati ISTAT elaborati da Openpolis, CC BY 4.0" in html
    assert "EUPL-1.2" in html


@pytest.mark.parametrize("persona", PERSONAS)
def test_dashboard_is_for_logged_in_users(as_user, persona):
    response = as_user(persona).get(reverse("core:dashboard"))
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == 200


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("planner_a", 200),
        ("mayor_a", 403),
        ("social_worker_a", 403),
        ("access_operator_a", 403),
        ("employment_operator_a", 403),
        ("provider_a", 403),
        ("viewer_a", 403),
        ("planner_b", 200),
        ("multi", 200),  # works first where a planner, not in Cremona where a viewer
        ("no_role", 403),
        ("superuser", 403),
    ],
)
def test_audit_log_is_for_planners(as_user, persona, status):
    response = as_user(persona).get(reverse("core:audit_log"))
    assert response.status_code == status


def test_audit_log_follows_the_current_district(as_user, districts):
    client = as_user("multi")
    client.post(reverse("core:switch_district"), {"district": "cremona"})
    assert client.get(reverse("core:audit_log")).status_code == 403
    client.post(reverse("core:switch_district"), {"district": "piana-di-lucca"})
    assert client.get(reverse("core:audit_log")).status_code == 200


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 302), ("planner_a", 302), ("viewer_a", 302), ("superuser", 200)],
)
def test_admin_site_is_for_superusers_only(as_user, persona, status):
    response = as_user(persona).get("/admin/")
    assert response.status_code == status
    if status == 302:
        assert "/admin/login/" in response["Location"]


def test_header_shows_current_district_and_switcher(as_user):
    html = as_user("multi").get(reverse("core:home")).content.decode()
    assert 'data-testid="current-district">Ambito distrettuale di Cremona<' in html or (
        'data-testid="current-district">Zona Distretto Piana di Lucca<' in html
    )
    # Both of the user's districts are offered in the switcher, and no other.
    assert 'value="cremona"' in html and 'value="piana-di-lucca"' in html
    assert 'value="reggio-emilia"' not in html


def test_anonymous_header_has_no_district(as_user):
    html = as_user("anonymous").get(reverse("core:home")).content.decode()
    assert "current-district" not in html
    assert reverse("login") in html


def test_switch_district_to_own_district(as_user):
    client = as_user("multi")
    response = client.post(
        reverse("core:switch_district"), {"district": "cremona", "next": "/ambiti/"}
    )
    assert response.status_code == 302 and response["Location"] == "/ambiti/"
    html = client.get(reverse("core:dashboard")).content.decode()
    assert 'data-testid="current-district">Ambito distrettuale di Cremona<' in html
    client.post(reverse("core:switch_district"), {"district": "piana-di-lucca"})
    html = client.get(reverse("core:dashboard")).content.decode()
    assert 'data-testid="current-district">Zona Distretto Piana di Lucca<' in html


def test_switch_to_a_district_without_role_is_refused(as_user):
    client = as_user("planner_a")
    response = client.post(reverse("core:switch_district"), {"district": "reggio-emilia"})
    assert response.status_code == 403
    html = client.get(reverse("core:dashboard")).content.decode()
    assert 'data-testid="current-district">Zona Distretto Piana di Lucca<' in html


def test_switch_refuses_get_and_foreign_redirects(as_user):
    client = as_user("multi")
    assert client.get(reverse("core:switch_district")).status_code == 405
    response = client.post(
        reverse("core:switch_district"), {"district": "cremona", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("core:dashboard")


def test_district_page_lists_municipalities_with_population_and_total(client, districts):
    html = client.get(reverse("territory:district_detail", args=["piana-di-lucca"])).content
    html = html.decode()
    for name in ("Lucca", "Capannori", "Porcari", "Altopascio"):
        assert name in html
    assert "al 1° gennaio 2023" in html
    total = re.search(r'data-testid="district-total">([\d.]+)<', html)
    assert total is not None
    from tessere.territory.selectors import district_population

    assert int(total.group(1).replace(".", "")) == district_population(districts.a).total
    assert district_population(districts.a).total > 150_000


def test_unknown_district_is_a_styled_404(client):
    response = client.get(reverse("territory:district_detail", args=["atlantide"]))
    assert response.status_code == 404
    assert "Pagina non trovata" in response.content.decode()
    assert "it-header-wrapper" in response.content.decode()


def test_unknown_api_address_is_a_json_404(client):
    """Under /api/ an address that matches no route answers JSON, as every API answer."""
    for url in ("/api/v1/profile/x/y/%0A", "/api/hsds/nothing-here", "/api/v1/nothing"):
        response = client.get(url)
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["detail"] == "Indirizzo non trovato."


def test_styled_error_pages(client):
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Si è verificato un errore" in html and "it-footer" in html
    assert "Accesso non consentito" in render_to_string("403.html")


def test_server_error_returns_the_500_page(client, settings):
    from django.urls import path

    def boom(request):
        raise RuntimeError("boom")

    import tessere.urls

    settings.ROOT_URLCONF = type(
        "Urls", (), {"urlpatterns": [*tessere.urls.urlpatterns, path("boom/", boom)]}
    )
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "Si è verificato un errore" in response.content.decode()


def test_no_inline_script_and_strict_csp(as_user):
    response = as_user("planner_a").get(reverse("core:home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", response.content.decode(), re.S)
    assert scripts, "the page loads its scripts"
    for attributes, body in scripts:
        assert "src=" in attributes and body.strip() == ""
    # Nothing is loaded from another host.
    assert not re.search(r'(src|href)="https?://', response.content.decode())


def test_api_docs_use_local_assets(client):
    html = client.get("/api/v1/docs").content.decode()
    assert "cdn.jsdelivr" not in html and "django-ninja.dev" not in html


def test_security_headers_over_https(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get(reverse("core:home"), secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
