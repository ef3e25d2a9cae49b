"""The WSGI application gunicorn serves in the load bench."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "load_settings")

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
