import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tradeloop.settings")
application = get_wsgi_application()

from tradeloop.core.page_cache import FrontDoor  # noqa: E402  (after Django is set up)

application = FrontDoor(application)  # a first visit to a stored page skips the request handling
