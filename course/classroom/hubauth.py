"""Who is calling, as the hub says: a user's token in, a :class:`~course.classroom.room.Person` out.

Why ask the hub, and not trust a name in the request: a student's kernel holds only its user's token
(``JUPYTERHUB_API_TOKEN``), so the hub is the one place that can say whose it is. Two calls, as JupyterHub's own
``HubAuth`` does them: ``GET /hub/api/user`` with the caller's token gives its owner and the token's scopes (every
token may identify itself), and the token must carry ``access:services!service=<this service>`` (the hub's way of
saying that it may use this service: jupyterhub_config.py grants it to users and to their servers' tokens); then
``GET /hub/api/users/<name>`` with the service's own token gives the admin flag and groups. An instructor is a hub
admin or a member of the instructor group. Answers are kept for a minute per token, so a busy room costs the hub
one pair of calls per person a minute, not per click.
"""

from __future__ import annotations

import hashlib
import json
import time
from urllib.parse import quote

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest

from .room import Person, Refused

CACHE_SECONDS = 60.0


class HubIdentity:
    """Resolves tokens against the hub's REST API (``api_url`` ends in ``/hub/api``)."""

    def __init__(self, api_url: str, service_token: str, service: str, instructor_group: str = "instructors") -> None:
        self.api_url = api_url.rstrip("/")
        self.service_token = service_token
        self.access = {"access:services", f"access:services!service={service}"}
        self.instructor_group = instructor_group
        self._cache: dict[str, tuple[float, Person]] = {}
        self._http = AsyncHTTPClient()

    async def _get(self, path: str, token: str) -> dict | None:
        request = HTTPRequest(
            f"{self.api_url}{path}", headers={"Authorization": f"token {token}"}, request_timeout=10, connect_timeout=5
        )
        try:
            response = await self._http.fetch(request)
        except HTTPClientError as err:
            if err.code in (401, 403, 404):
                return None
            raise Refused(503, f"the hub did not answer ({err.code})") from None
        except OSError as err:
            raise Refused(503, f"the hub cannot be reached ({err})") from None
        return json.loads(response.body)

    async def person(self, token: str | None) -> Person:
        """The person whose token this is; :class:`Refused` 401 for no or a bad token, 403 without access."""
        if not token:
            raise Refused(401, "no token: send `Authorization: token <your JupyterHub API token>`")
        key = hashlib.sha256(token.encode()).hexdigest()
        hit = self._cache.get(key)
        if hit and hit[0] > time.monotonic():
            return hit[1]
        owner = await self._get("/user", token)
        if owner is None:
            raise Refused(401, "the hub does not know this token")
        if owner.get("kind") != "user":
            raise Refused(403, "only a hub user's token may use the class service")
        if not self.may_use(owner.get("scopes", [])):
            raise Refused(403, "this token may not use the class service (it lacks access:services)")
        person = await self.person_named(owner["name"])
        self._cache[key] = (time.monotonic() + CACHE_SECONDS, person)
        return person

    def may_use(self, scopes: list[str]) -> bool:
        """Whether a token with these scopes may use this service."""
        return bool(self.access & set(scopes))

    async def person_named(self, name: str) -> Person:
        """The hub user ``name`` (already authenticated) as a :class:`Person`: admin flag and groups from the hub."""
        model = await self._get(f"/users/{quote(name, safe='')}", self.service_token)
        if model is None:
            raise Refused(503, "the class service may not read users on the hub (its role lacks read:users)")
        return Person(name, bool(model.get("admin")) or self.instructor_group in model.get("groups", []))

    async def group_members(self, group: str) -> list[str]:
        """The members of a hub group, sorted (a team made as a hub group)."""
        model = await self._get(f"/groups/{quote(group, safe='')}", self.service_token)
        if model is None:
            raise Refused(400, f"no hub group {group!r} (or the class service may not read groups)")
        return sorted(model.get("users", []))
