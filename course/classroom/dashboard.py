"""The instructor's dashboard: the room on one screen, served by the service to a browser logged in at the hub.

Why OAuth and not a token: a browser holds no API token; JupyterHub's own OAuth for services (``HubOAuth``, from
the ``jupyterhub`` package, which is installed wherever a hub runs this service) logs the instructor in through the
hub and leaves a cookie for this service's path. The page (``dashboard.html``) then polls the JSON API with that
cookie, so :class:`course.classroom.service.Handler` accepts it too. Against cross-site request forgery the page
sends JupyterHub's xsrf token (``X-XSRFToken``, handed to it in the page) with every call, and ``HubOAuth`` accepts
the cookie of a script's request only with that token: another site's page cannot read it.
Without the ``jupyterhub`` package (a test of the API alone) there is no dashboard and the API takes tokens only.
"""

from __future__ import annotations

from html import escape
from importlib import resources
from typing import Any

import tornado.web

from .hubauth import HubIdentity
from .room import Refused


def hub_oauth() -> Any | None:
    """JupyterHub's OAuth helper for this service, configured from the environment the hub gives it, or None."""
    try:
        from jupyterhub.services.auth import HubOAuth
    except ImportError:
        return None
    return HubOAuth.instance(cache_max_age=60)


def page(sid: str, xsrf: str) -> str:
    """The dashboard's HTML for session ``sid`` (an id the route has checked: ``s`` and digits) with the xsrf token
    its script sends back."""
    html = resources.files("course.classroom").joinpath("dashboard.html").read_text(encoding="utf-8")
    return html.replace("<body>", f'<body data-session="{sid}" data-xsrf="{escape(xsrf, quote=True)}">', 1)


def routes(prefix: str, authority: Any, identity: HubIdentity, oauth: Any) -> list[tuple]:
    """The dashboard and the OAuth callback under ``prefix``; none without ``oauth``."""
    if oauth is None:
        return []
    from jupyterhub.services.auth import HubOAuthCallbackHandler, HubOAuthenticated

    class Dashboard(HubOAuthenticated, tornado.web.RequestHandler):
        @tornado.web.authenticated
        async def get(self, sid: str) -> None:
            try:
                person = await identity.person_named(self.current_user["name"])
                if not person.instructor:
                    raise Refused(403, "the dashboard is for instructors (a hub admin or the instructors group)")
                authority.room.session(sid)
            except Refused as err:
                self.set_status(err.status)
                self.finish({"error": str(err)})
                return
            self.set_header("Cache-Control", "no-store")
            token = self.xsrf_token
            self.finish(page(sid, token.decode() if isinstance(token, bytes) else token))

    # Both handlers find ``oauth`` as HubOAuth's singleton (``hub_auth_class.instance()``).
    return [(rf"{prefix}dashboard/(s\d+)", Dashboard), (rf"{prefix}oauth_callback", HubOAuthCallbackHandler)]
