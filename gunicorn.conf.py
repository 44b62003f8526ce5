"""gunicorn settings for `make demo` and production: sync workers, two per core plus one."""

import os

from surveyapp.config import worker_count

bind = os.environ.get("SURVEYAPP_BIND", "127.0.0.1:5000")
workers = worker_count()  # the app checks the same number against its limit storage
worker_class = "sync"
timeout = 30
graceful_timeout = 20
keepalive = 5
accesslog = "-"
logger_class = "surveyapp.serving.RedactingLogger"  # no survey token in the access log
