"""A kernel template process: imports the heavy modules once, then forks one kernel per request.

Run as a script (``python -P``: its folder must not shadow top-level modules) with the
kernel's own interpreter (never imported as part of ``ukcyber.build``,
so the kernels it forks carry no build code). It never runs report code itself, so every kernel
forked from it starts from the same state a kernel started from scratch would reach after the
same imports, whatever earlier kernels did: isolation by construction, at the price of a fork
instead of an interpreter start and ``import pandas, plotly``. (One difference, by design: the
optional modules in ``skip`` are treated as not installed: see ``ukcyber.build.slowimports``.)

Its one argument is ``{"imports": [...], "skip": [...]}`` in JSON. Protocol (one JSON object
per line): the worker writes ``{"argv": [...], "cwd": ..., "env": {...}}`` on stdin, where
``argv`` are ``ipykernel_launcher``'s arguments (``-f <connection file>`` and extras); the
zygote answers ``{"pid": N}`` on what was its stdout. Kernels write to the zygote's stderr (the
build's kernel log).
"""

from __future__ import annotations

import json
import os
import signal
import sys
from typing import Any


def _die_with_parent() -> None:
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _import_path_like_jupyterlab() -> None:
    """Put the working folder on the import path where IPython puts it for a kernel.

    That is where it is for a kernel started the usual way (``''`` before ``site-packages``), so a
    module beside the notebook imports.

    IPython leaves it out when Python runs with ``-P`` (as this process does, so that its own
    folder shadows nothing); a kernel started by JupyterLab has it.
    """
    if "" in sys.path:
        return
    packages = {"site-packages", "dist-packages"}
    at = next((i for i, p in enumerate(sys.path) if os.path.basename(p) in packages), 0)
    sys.path.insert(at, "")


def _child(request: dict[str, Any], channels: tuple[int, int]) -> None:
    """In the forked child: become a kernel in its own session, then exit with its status.

    The kernel dies with the template process (which dies with its worker), and knows the
    template as its parent (``parent_handle``: polled, and no console banner).
    """
    code = 1
    try:
        for fd in channels:
            os.close(fd)
        _die_with_parent()
        os.setsid()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        _import_path_like_jupyterlab()
        argv = [*request["argv"], f"--IPKernelApp.parent_handle={os.getppid()}"]
        sys.argv = ["ipykernel_launcher", *argv]
        from ipykernel import kernelapp

        kernelapp.IPKernelApp.launch_instance(argv=argv)
        code = 0
    except BaseException:  # noqa: BLE001  (whatever happens, never return into the zygote loop)
        import traceback

        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def main(imports: list[str], skip: list[str]) -> None:
    """Import ``imports``, then fork a kernel for each request until stdin closes.

    Modules named in ``skip`` are treated as not installed (optional imports that only cost
    time; see :mod:`ukcyber.build.slowimports`), here and so in every kernel forked.
    """
    import importlib

    for name in skip:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]
    requests = os.fdopen(os.dup(0), "r", encoding="utf-8")
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(2, 1)  # kernels' stray output goes to the log, never into the protocol
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # forked kernels are reaped automatically
    _die_with_parent()
    import ipykernel.ipkernel  # noqa: F401
    import ipykernel.kernelapp  # noqa: F401

    for name in imports:
        importlib.import_module(name)
    answers.write(json.dumps({"ready": True}) + "\n")
    answers.flush()
    for line in requests:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _child(request, (requests.fileno(), answers.fileno()))
        answers.write(json.dumps({"pid": pid}) + "\n")
        answers.flush()


if __name__ == "__main__":
    spec = json.loads(sys.argv[1])
    main(spec["imports"], spec["skip"])
