"""N dashboard replicas behind nginx (deploy/nginx.conf.template), for the concurrency rounds.

Streamlit runs every session's script in one Python process (one interpreter lock), so one server uses about one
core however many cores the machine has. The documented deployment (docs/deploy.md) runs one replica per core
behind a sticky load balancer; this measures that deployment on the same data with the same websocket clients.
RSS is the sum over the replicas and nginx."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ._common import ROOT, free_port, server_env, start_streamlit, wait_ok
from .browser import RssSampler


class ReplicaSet:
    def __init__(self, data_dir: Path, n: int):
        sys.path.insert(0, str(ROOT))
        from deploy.two_replicas import find_nginx

        self.nginx = find_nginx()
        if not self.nginx:
            raise RuntimeError("nginx not found (apt-get install -y nginx)")
        self.n = n
        self.ports = [free_port() for _ in range(n)]
        self.listen = free_port()
        self.base = f"http://127.0.0.1:{self.listen}"
        self.store = tempfile.mkdtemp(prefix="cchc-bench-store-")
        env = server_env(data_dir, self.store, self.base)
        self.t_start = time.perf_counter()
        self.procs = [start_streamlit(port, env, start_new_session=True) for port in self.ports]
        self.proxy: subprocess.Popen | None = None
        self.rss = RssSampler([p.pid for p in self.procs])

    def _healthy(self, url: str, proc: subprocess.Popen, deadline: float) -> None:
        wait_ok(url, proc, deadline, 0.05, lambda: f"{proc.args[:4]} exited", url)

    def wait_healthy(self, timeout: float = 120) -> float:
        from deploy.two_replicas import nginx_runtime, start_nginx

        deadline = time.perf_counter() + timeout
        for proc, port in zip(self.procs, self.ports):
            self._healthy(f"http://127.0.0.1:{port}/_stcore/health", proc, deadline)
        self.proxy = start_nginx(self.nginx, nginx_runtime(), self.listen, self.ports)
        self._healthy(self.base + "/_stcore/health", self.proxy, deadline)
        self.rss.stop()
        self.rss = RssSampler([p.pid for p in self.procs] + [self.proxy.pid])
        return time.perf_counter() - self.t_start

    def stop(self) -> None:
        self.rss.stop()
        for proc, sig in [(self.proxy, signal.SIGQUIT)] + [(p, signal.SIGTERM) for p in self.procs]:
            if proc is None or proc.poll() is not None:
                continue
            os.killpg(proc.pid, sig)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
