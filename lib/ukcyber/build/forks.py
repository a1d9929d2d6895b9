"""Worker side of forked kernels: a kernel manager that forks kernels from a template process.

Starting a Python kernel and importing pandas, plotly and the library costs about 0.6 s of CPU
per report, most of a report's cost on 2 cores. :mod:`ukcyber.build.zygote` pays it once per
worker; each kernel is then a fork of it (milliseconds), still a fresh process used for one
report only. jupyter_client manages the forked kernel like any other: connection file, ports,
signals to its process group, kill. Kernel specs that are not ``<python> [flags] -m
ipykernel_launcher ...`` are started the usual way.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync

from ukcyber.build.slowimports import SKIPPED

SCRIPT = Path(__file__).with_name("zygote.py")
STARTUP = 120.0
"""Seconds the template process may take to import everything (then kernels start as usual)."""
FORK = 10.0


class Forked:
    """The part of ``subprocess.Popen`` jupyter_client uses, for a kernel that is not our child.

    The zygote reaps the kernel; it is alive while its pid exists.
    """

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self.stdin = self.stdout = self.stderr = None

    def poll(self) -> int | None:
        """The exit code once the pid no longer exists, else ``None`` (as ``Popen.poll``)."""
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = -signal.SIGKILL
            except PermissionError:
                pass
        return self.returncode

    def wait(self, timeout: float | None = None) -> int | None:
        """The exit code if the kernel has gone, without waiting: the zygote, not we, reaps it."""
        return self.poll()

    def send_signal(self, signum: int) -> None:
        """Send ``signum`` to the kernel; one already gone is ignored."""
        try:
            os.kill(self.pid, signum)
        except ProcessLookupError:
            pass

    def kill(self) -> None:
        """Kill the kernel with ``SIGKILL``."""
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        """Ask the kernel to stop with ``SIGTERM``."""
        self.send_signal(signal.SIGTERM)


class Zygote:
    """A running template process for one kernel command prefix (interpreter and flags)."""

    def __init__(self, prefix: list[str], imports: list[str]) -> None:
        self.prefix = prefix
        self.process = subprocess.Popen(
            [*prefix, "-P", str(SCRIPT), json.dumps({"imports": imports, "skip": SKIPPED})],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        self._answer(STARTUP)  # {"ready": true} once the imports are done

    def _answer(self, timeout: float) -> dict[str, Any]:
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        if not ready:
            self.close()
            raise OSError(f"the kernel template process did not answer in {timeout:g} s")
        line = self.process.stdout.readline()
        if not line:
            raise OSError(f"the kernel template process exited ({self.process.poll()})")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def fork(self, argv: list[str], cwd: str, env: dict[str, str]) -> int:
        """Fork a kernel running ``ipykernel_launcher argv``; its pid."""
        assert self.process.stdin is not None
        request = {"argv": argv, "cwd": cwd, "env": env}
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        return int(self._answer(FORK)["pid"])

    def close(self) -> None:
        """Stop the template process (its kernels are killed by their managers)."""
        try:
            self.process.kill()
            self.process.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            pass


_zygotes: dict[tuple[str, ...], Zygote] = {}
IMPORTS = [
    "pandas",
    "plotly.graph_objects",
    "plotly.io",
    "ukcyber.analysis",
    "ukcyber.briefing",
    "ukcyber.charts",
    "ukcyber.data",
    "ukcyber.options",
    "ukcyber.panels",
    "ukcyber.tables",
]
"""Modules the template process imports once (what the report notebooks import), so every
kernel forked from it starts with them imported."""


def split_command(cmd: list[str]) -> tuple[list[str], list[str]] | None:
    """``(interpreter and flags, ipykernel_launcher arguments)`` of a kernel command.

    ``None`` when it is not a plain ``python … -m ipykernel_launcher …`` command.
    """
    if "-m" not in cmd:
        return None
    at = cmd.index("-m")
    if at + 1 >= len(cmd) or cmd[at + 1] != "ipykernel_launcher":
        return None
    if any(not flag.startswith("-X") for flag in cmd[1:at]):
        return None
    return cmd[:at], cmd[at + 2 :]


def zygote(prefix: list[str]) -> Zygote:
    """The template process of this process for ``prefix`` (started on first use, restarted if dead)."""
    key = tuple(prefix)
    current = _zygotes.get(key)
    if current is None or current.process.poll() is not None:
        current = _zygotes[key] = Zygote(prefix, IMPORTS)
    return current


def stop() -> None:
    """Stop every template process of this worker."""
    while _zygotes:
        _zygotes.popitem()[1].close()


class ForkingKernelManager(AsyncKernelManager):
    """An ``AsyncKernelManager`` whose kernels are forked from a template process.

    Used through jupyter_client's public API only: :meth:`start_now` starts the kernel, nbclient
    gets its clients from :meth:`client` (each is remembered, so :meth:`discard` can close it:
    nbclient does not close a client of a kernel it did not start), :meth:`discard` kills it.
    """

    ahead_key: tuple[object, ...] = ()
    """The settings the kernel was started for (kernel name, folder, environment)."""

    def start_now(self, arguments: list[str], *, cwd: str, env: dict[str, str]) -> None:
        """Start the kernel (forked when possible) and return at once: it boots on its own."""
        self._clients: list[Any] = []
        run_sync(self.start_kernel)(extra_arguments=arguments, cwd=cwd, env=env)

    def client(self, **kwargs: Any) -> Any:
        """Give a client of the kernel, remembered so :meth:`discard` closes it."""
        made = super().client(**kwargs)
        self._clients.append(made)
        return made

    def alive(self) -> bool:
        """Whether the kernel process still runs."""
        return bool(run_sync(self.is_alive)())

    def discard(self) -> None:
        """Kill the kernel now and close its clients (never raises)."""
        for made in getattr(self, "_clients", []):
            try:
                made.stop_channels()
            except Exception:  # noqa: BLE001, S110  (a dead kernel's channels may be gone)
                pass
        provisioner: Any = self.provisioner
        try:
            if isinstance(getattr(provisioner, "process", None), Forked):
                provisioner.process.kill()  # its template process reaps it: nothing to wait for
                self.cleanup_connection_file()
                run_sync(provisioner.cleanup)(restart=False)
            else:
                run_sync(self.shutdown_kernel)(now=True)
        except Exception:  # noqa: BLE001, S110
            pass

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
        parts = split_command(kernel_cmd)
        provisioner: Any = self.provisioner
        if parts is None or not hasattr(provisioner, "process"):
            await super()._async_launch_kernel(kernel_cmd, **kw)
            return
        prefix, argv = parts
        cwd = str(kw.get("cwd") or os.getcwd())
        env = {str(k): str(v) for k, v in (kw.get("env") or os.environ).items()}
        try:
            pid = zygote(prefix).fork(argv, cwd, env)
        except (OSError, ValueError) as exc:
            print(
                f"kernel template process unusable ({exc}); starting kernels the usual way",
                file=sys.stderr,
            )
            _zygotes.pop(tuple(prefix), None)
            await super()._async_launch_kernel(kernel_cmd, **kw)
            return
        provisioner.process = Forked(pid)
        provisioner.pid = pid
        provisioner.pgid = pid  # the kernel leads its own session
        provisioner.cwd = cwd
        self._reconcile_connection_info(provisioner.connection_info)
