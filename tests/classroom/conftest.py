"""A real hub and the class service beside it, shared by a module's tests (tests/classroom/hubrig.py)."""

from __future__ import annotations

import os
import sys

import pytest

from tests.browser import in_ci

from .hubrig import Hub, Service, hub_env

INSTRUCTOR, ADMIN, OUTSIDER = "teach", "dean", "zed"  # ADMIN: hubrig.py makes "dean" a hub admin
STUDENTS = ("a1", "a2", "b1", "b2", "c1", "c2", "d1", "d2")


def _cannot_run_reason() -> str | None:
    if sys.platform != "linux" or os.geteuid() != 0:
        return "the class service's tests use the class hub's environment, which is built as root (make hub-env)"
    return None


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    reason = _cannot_run_reason()
    if reason:
        if in_ci():
            pytest.fail(f"the class service's tests must run in CI: {reason}")
        pytest.skip(reason)
    running = Hub(hub_env(), tmp_path_factory.mktemp("classhub"))
    try:
        running.person(INSTRUCTOR, groups=("instructors",))
        running.person(ADMIN)  # an admin by the hub's configuration (hubrig.py)
        for name in (*STUDENTS, OUTSIDER):
            running.person(name, groups=("students",))
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def service(hub, tmp_path_factory):
    svc = Service(hub, tmp_path_factory.mktemp("classroom") / "state")
    svc.start()
    try:
        yield svc
    finally:
        svc.stop()
