"""A notebook's ``kernelspec`` and ``language_info`` as JupyterLab writes them when its kernel starts.

JupyterLab replaces both with what the running kernel and its spec report, and marks the notebook changed
when they differ from what the file holds (its YNotebook compares them deeply). nbgrader keeps whatever the
source notebook had (often a stripped ``{"name": "python"}``), so every released notebook came up "modified"
the moment a student opened it. The build writes these instead (``nbgrader_plugins.KernelMetadata``): the same
kernel's own answer, asked once per process. A notebook built on one Python and opened on another still
differs in ``language_info.version``, which is why a class machine should run its own ``make build``.

Instructor side only: it starts a kernel through jupyter_client.
"""

from __future__ import annotations

import copy
import functools
from typing import Any


def kernel_metadata(name: str = "python3") -> dict[str, Any]:
    """``{"kernelspec": ..., "language_info": ...}`` for the kernel called ``name`` on this machine."""
    return copy.deepcopy(_ask(name))


@functools.cache
def _ask(name: str) -> dict[str, Any]:
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import start_new_kernel

    spec = KernelSpecManager().get_kernel_spec(name)
    km, kc = start_new_kernel(kernel_name=name)
    try:
        msg_id = kc.kernel_info()
        while True:
            reply = kc.get_shell_msg(timeout=60)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    # The keys and order of JupyterLab's NotebookPanel._updateSpec (its comparison ignores the order).
    kernelspec = {"display_name": spec.display_name, "language": spec.language, "name": name}
    return {"kernelspec": kernelspec, "language_info": dict(reply["content"]["language_info"])}
