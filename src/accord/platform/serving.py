"""`accord serve`: one waitress process (the default), or gunicorn with N
worker processes; behind a TLS proxy either way.

Proxy headers: a TLS proxy tells the server the original scheme
(``X-Forwarded-Proto``) and client address (``X-Forwarded-For``). They are
believed only from the addresses in ``settings.TRUSTED_PROXIES``; from anyone
else they are removed before Django sees them, so that a client cannot claim
HTTPS (Django's ``SECURE_PROXY_SSL_HEADER``) or another address (the sign-in
throttle). waitress does this itself (``trusted_proxy``); gunicorn sets the
scheme only for ``forwarded_allow_ips`` but passes the headers on, so they are
removed here.
"""

from __future__ import annotations

PROXY_HEADERS = (
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_FORWARDED",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_FORWARDED_SSL",
    "HTTP_X_FORWARDED_PROTOCOL",
)


def strip_untrusted_proxy_headers(application, trusted: list[str]):
    """The WSGI ``application``, seeing proxy headers only from ``trusted`` peers."""
    trusted_set = frozenset(trusted)

    def app(environ, start_response):
        if environ.get("REMOTE_ADDR") not in trusted_set:
            for name in PROXY_HEADERS:
                environ.pop(name, None)
        return application(environ, start_response)

    return app


def run_waitress(application, host: str, port: int, threads: int, trusted: list[str]) -> None:
    from waitress import serve

    options = {}
    if trusted:
        # waitress trusts one proxy address; more than one needs --workers (gunicorn).
        options = {
            "trusted_proxy": trusted[0],
            "trusted_proxy_count": 1,
            "trusted_proxy_headers": {"x-forwarded-proto", "x-forwarded-for"},
            "clear_untrusted_proxy_headers": True,
        }
    serve(application, host=host, port=port, threads=threads, **options)


def run_gunicorn(host: str, port: int, workers: int, threads: int, trusted: list[str]) -> None:
    from gunicorn.app.base import BaseApplication

    class AccordServer(BaseApplication):
        def load_config(self):
            config = {
                "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
                "workers": workers,
                "worker_class": "gthread",
                "threads": threads,
                # Only these peers may set the scheme (X-Forwarded-Proto).
                "forwarded_allow_ips": ",".join(trusted),
                "graceful_timeout": 10,
                "timeout": 120,
                "accesslog": None,
            }
            for key, value in config.items():
                self.cfg.set(key, value)

        def load(self):
            # Imported in each worker after the fork: no database connection is shared.
            from django.core.wsgi import get_wsgi_application

            return strip_untrusted_proxy_headers(get_wsgi_application(), trusted)

    AccordServer().run()
