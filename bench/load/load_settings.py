"""Tessere's settings for the load bench: the production settings, served over plain HTTP on
loopback (so cookies are not marked secure), with the bench's URLconf (Tessere plus one view)."""

from tessere.settings import *  # noqa: F403

ROOT_URLCONF = "load_urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
DEBUG = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
