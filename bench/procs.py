"""Servers of the benchmark: started on loopback ports in their own process group, their
pids written to var/bench/pids/ (bench/run.sh's trap stops them even if Python dies), peak
memory read from /proc/<pid>/status (VmHWM) of every process of the group."""

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path

from bench import client as http
from bench.config import VAR

PIDS = VAR / "pids"


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def descendants(pid: int) -> list[int]:
    tree, out, todo = _children(), [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        todo.extend(tree.get(current, []))
    return out


def _status_kb(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class Server:
    def __init__(self, name: str, cmd: list[str], port: int, env: dict, probe: str, cwd=None):
        self.name, self.cmd, self.port, self.env, self.probe = name, cmd, port, env, probe
        self.cwd = cwd
        self.proc: subprocess.Popen | None = None
        self.log = VAR / "logs" / f"{name}.log"

    def start(self, timeout: float = 90.0) -> None:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        PIDS.mkdir(parents=True, exist_ok=True)
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(  # noqa: S603 - our own server command lines
                self.cmd,
                env=self.env,
                cwd=self.cwd,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        (PIDS / f"{self.name}.pid").write_text(str(self.proc.pid))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited at start; see {self.log}")
            try:
                if http.get(self.port, self.probe, timeout=10).status < 500:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"{self.name} did not answer within {timeout:.0f} s; see {self.log}")

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        (PIDS / f"{self.name}.pid").unlink(missing_ok=True)
        self.proc = None

    def reset_peaks(self) -> None:
        """Reset VmHWM of every process (Linux: write 5 to clear_refs); best effort."""
        for pid in descendants(self.proc.pid) if self.proc else []:
            with contextlib.suppress(OSError):
                Path(f"/proc/{pid}/clear_refs").write_text("5")

    def peak_rss(self) -> dict:
        """Peak resident memory (MB) of the busiest process and of the whole group."""
        pids = descendants(self.proc.pid) if self.proc else []
        peaks = {pid: _status_kb(pid, "VmHWM") / 1024 for pid in pids}
        return {
            "max_process_mb": round(max(peaks.values(), default=0), 1),
            "total_mb": round(sum(peaks.values()), 1),
            "processes": len(peaks),
        }
