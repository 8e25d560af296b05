import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoportal.settings.base")
# This process serves requests: its queries get the web's time budget (settings,
# GEOPORTAL_STATEMENT_TIMEOUT_S); manage.py, the task-queue worker and migrations do not.
os.environ["GEOPORTAL_PROCESS"] = "web"
application = get_asgi_application()
