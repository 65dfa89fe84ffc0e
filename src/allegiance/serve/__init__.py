"""`allegiance serve`: the HTTP API and the web page over a store.

Modules: `state` (what the app holds), `events`, `camps` and `articles` (the routes), `guard`
(one error shape, the body limit, security headers), `app` (the app and the page).
"""

from .app import create_app
from .camps import warm
from .state import ServeSettings

__all__ = ["ServeSettings", "create_app", "warm"]
