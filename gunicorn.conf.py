"""gunicorn settings for `make demo` and production: sync workers, two per core plus one."""

import multiprocessing
import os

bind = os.environ.get("SURVEYAPP_BIND", "127.0.0.1:5000")
workers = int(os.environ.get("SURVEYAPP_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = 30
graceful_timeout = 20
keepalive = 5
accesslog = "-"
logger_class = "surveyapp.serving.RedactingLogger"  # no survey token in the access log
