"""Run code in a kernel on a person's own server through the hub's proxy, as JupyterLab does: the kernels REST API
to start one, its websocket channels (Jupyter's message protocol, JSON) to execute, stream output back.

What runs there runs as that student, with their server's environment: the hub's JUPYTERHUB_API_TOKEN (the
server's token, which kernels inherit) and PACT_CLASS_URL, exactly what a notebook's `CrisisBoard(session=...)` sees.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import websocket

from .hub_client import Person


class KernelError(AssertionError):
    """The code raised in the kernel (its traceback is the message)."""


class Kernel:
    def __init__(self, person: Person, timeout: float = 180) -> None:
        self.person, self.timeout = person, timeout
        started = person.server("POST", "api/kernels", body={"name": "python3"})
        assert started.status == 201, f"{person.account}: no kernel: {started.status} {started.body[:300]!r}"
        self.id = started.json()["id"]
        url = person.base.replace("http://", "ws://") + f"/user/{person.account}/api/kernels/{self.id}/channels"
        self.ws = websocket.create_connection(
            url, header=[f"Authorization: token {person.token}"], timeout=timeout, suppress_origin=True
        )
        self.session = uuid.uuid4().hex

    def run(self, code: str) -> str:
        """Execute ``code``; its printed output, or :class:`KernelError` with the traceback."""
        msg_id = uuid.uuid4().hex
        header = {"msg_id": msg_id, "username": self.person.account, "session": self.session}
        header |= {"msg_type": "execute_request", "version": "5.3", "date": datetime.now(UTC).isoformat()}
        content = {"code": code, "silent": False, "store_history": False, "user_expressions": {}}
        content |= {"allow_stdin": False, "stop_on_error": True}
        message = {"header": header, "parent_header": {}, "metadata": {}, "content": content, "channel": "shell"}
        self.ws.send(json.dumps(message | {"buffers": []}))
        out, error = [], None
        while True:
            reply = json.loads(self.ws.recv())  # bounded by the socket's timeout
            if reply.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = reply["msg_type"]
            if kind == "stream":
                out.append(reply["content"]["text"])
            elif kind == "error":
                error = "\n".join(reply["content"]["traceback"])
            elif kind == "status" and reply["content"]["execution_state"] == "idle":
                break
        if error:
            raise KernelError(f"{self.person.account}'s kernel raised:\n{error}")
        return "".join(out)

    def shut_down(self) -> None:
        self.ws.close()
        self.person.server("DELETE", f"api/kernels/{self.id}")
