"""The floor: a bare Django app with one view returning a fixed page, served like the real site (gunicorn, same
workers and threads), so every page's figure can be read as a share of what Django + gunicorn manage at best here.

    gunicorn -w 2 -k gthread --threads 4 bench.floor:application

(gthread: the class `tradeloop serve`'s worker extends; its extension only answers garbled requests with JSON, and
importing it would load the site's settings.)
"""

from django.conf import settings

if settings.configured:
    raise RuntimeError("bench.floor needs its own settings: load it in a fresh process")
settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-floor-not-secret",
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    USE_I18N=False,
)

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402

PAGE = b"<!doctype html><title>floor</title><p>" + b"A fixed page. " * 200 + b"</p>"


def fixed(request):
    return HttpResponse(PAGE, content_type="text/html; charset=utf-8")


urlpatterns = [path("", fixed)]
application = get_wsgi_application()
