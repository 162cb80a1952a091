"""Production settings: HTTPS only, secure cookies, no defaults for secrets.

Use with DJANGO_SETTINGS_MODULE=tradeloop.settings_production behind a TLS-terminating proxy.
"""

import os

from tradeloop.settings import *  # noqa: F403
from tradeloop.settings import env_bool

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe app servers over plain HTTP
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Webhook endpoints may not point into our own network (SSRF) unless the operator allows it.
TRADELOOP_WEBHOOK_ALLOW_PRIVATE = env_bool("TRADELOOP_WEBHOOK_ALLOW_PRIVATE", False)
