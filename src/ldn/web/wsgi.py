"""WSGI entry point for gunicorn: `gunicorn ldn.web.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ldn.web.settings")
application = get_wsgi_application()
