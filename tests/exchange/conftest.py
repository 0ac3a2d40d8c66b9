"""The web tests' fixtures, for the exchange routes: an app on each backend and clients
signed in by role."""

from tests.web.conftest import app, client_for, clock, web_template, web_url  # noqa: F401
