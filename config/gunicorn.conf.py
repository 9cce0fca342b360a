"""gunicorn settings for `make serve`; every figure can be changed from the
environment without editing this file (README, "Production").

The worker class is gthread: each worker process runs WEB_THREADS requests at
once. Pages spend much of their time waiting for the database, so threads
serve more users per megabyte than processes; processes are what let two
CPU-heavy requests (PDF books) run side by side."""

import os

# make serve passes HOST as --bind; this is the default for a bare `gunicorn -c`.
bind = os.environ.get("HOST", "127.0.0.1:8000")

# One process per core plus one, so a core is busy while another process
# waits for the database. Not the usual 2 x cores + 1: a process printing a
# book of 500 sheets peaks near 450 MB (README, Printing), and each process
# may be printing one.
workers = int(os.environ.get("WEB_WORKERS", (os.cpu_count() or 1) + 1))
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", 4))

# With gthread the worker's main loop keeps reporting alive while requests
# run in its threads, so this only kills a worker that hangs entirely; it is
# not a limit on one request. A book of 500 sheets takes minutes: the limit
# per request is the reverse proxy's read timeout (the README's nginx: 600 s).
timeout = int(os.environ.get("WEB_TIMEOUT", 120))
# On restart (deploy, max-requests), requests in flight get this long to finish.
graceful_timeout = int(os.environ.get("WEB_GRACEFUL_TIMEOUT", 60))
# Behind a proxy that keeps connections open to us.
keepalive = int(os.environ.get("WEB_KEEPALIVE", 5))

# Each process is replaced after this many requests (jittered so they do not
# all restart together): WeasyPrint and font caches grow with every PDF, and
# a fresh process returns that memory to the system.
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", 1000))
max_requests_jitter = int(os.environ.get("WEB_MAX_REQUESTS_JITTER", 100))

# Logs to stderr, with the application's request id on each access line.
accesslog = os.environ.get("WEB_ACCESS_LOG", "-")
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms id=%({x-request-id}o)s'
# The client address in the access log is the proxy's unless it is trusted here.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# gunicorn 25.1+ opens a control socket at one fixed path per system user
# ($HOME/.gunicorn/gunicorn.ctl), which two servers on one machine would take
# from each other. Off unless WEB_CONTROL_SOCKET names a path for this server.
control_socket_disable = not os.environ.get("WEB_CONTROL_SOCKET")
if os.environ.get("WEB_CONTROL_SOCKET"):
    control_socket = os.environ["WEB_CONTROL_SOCKET"]
