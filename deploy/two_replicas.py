"""Two dashboard replicas behind nginx on loopback: same answers from both; one dies, the other serves.

    make two-replicas            (installs nginx with apt if missing; needs root for that)
    .venv/bin/python deploy/two_replicas.py

Everything listens on 127.0.0.1 only. Exit status 0 = all checks passed. Each replica is started with
deploy/serve.sh start (the same entry point as the Docker image), using the current virtualenv.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deploy.st_client import open_view  # noqa: E402

VIEW = "/rankings?lang=vi&index=papi&year=2019&group=provinces"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url: str, cookie: str | None = None, timeout: float = 5) -> tuple[int, dict, bytes]:
    req = urllib.request.Request(url, headers={"Cookie": f"cchc_route={cookie}"} if cookie else {})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        headers = dict(resp.headers)
        headers["Set-Cookie"] = "; ".join(resp.headers.get_all("Set-Cookie") or [])
        return resp.status, headers, resp.read()


def wait_http(url: str, proc: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args} exited with {proc.returncode}")
        try:
            if http_get(url, timeout=2)[0] == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(url)


def start_replica(port: int, store: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "CCHC_VENV": sys.prefix,
        "PORT": str(port),
        "ADDRESS": "127.0.0.1",
        "CCHC_STORE_DIR": str(store),
    }
    env.pop("CCHC_PUBLIC_URL", None)
    return subprocess.Popen(
        ["sh", str(ROOT / "deploy" / "serve.sh"), "start"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def stop(proc: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, sig)  # the process group we created for this replica / nginx only
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)


def nginx_config(runtime: Path, listen: int, upstreams: list[int]) -> Path:
    template = string.Template((ROOT / "deploy" / "nginx.conf.template").read_text())
    user = "user nobody nogroup;" if os.geteuid() == 0 else ""
    text = template.safe_substitute(  # nginx's own $variables stay as they are
        LISTEN=f"127.0.0.1:{listen}",
        UPSTREAMS="\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;" for p in upstreams),
        RUNTIME_DIR=str(runtime),
        USER_DIRECTIVE=user,
        DEBUG_HEADER="add_header X-Upstream $upstream_addr always;  # this check only",
    )
    assert "${" not in text, "unfilled placeholder in nginx.conf.template"
    conf = runtime / "nginx.conf"
    conf.write_text(text)
    return conf


def fingerprint(view) -> tuple:
    return tuple(repr(t.to_pydict()) for t in view.tables) + tuple(view.texts)


def first_unit(view) -> str:
    table = next(t for t in view.tables if "rank" in t.schema.names)
    return table.slice(0, 1).to_pylist()[0]["unit"].rsplit("#", 1)[-1]


def check(msg: str, ok: bool) -> None:
    print(("PASS " if ok else "FAIL ") + msg, flush=True)
    if not ok:
        raise SystemExit(1)


def find_nginx() -> str | None:
    return shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def nginx_runtime() -> Path:
    """A private runtime directory for one nginx (pid, logs, temp paths)."""
    runtime = Path(tempfile.mkdtemp(prefix="cchc-nginx-"))
    runtime.chmod(0o755)
    for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (runtime / sub).mkdir(mode=0o777)
        (runtime / sub).chmod(0o777)
    return runtime


def start_nginx(nginx: str, runtime: Path, listen: int, upstreams: list[int]) -> subprocess.Popen:
    """nginx from deploy/nginx.conf.template in front of the given replica ports (config checked first)."""
    conf = nginx_config(runtime, listen, upstreams)
    test = subprocess.run([nginx, "-t", "-c", str(conf)], capture_output=True, text=True)
    if test.returncode != 0:
        raise RuntimeError(f"nginx config invalid: {test.stderr}")
    return subprocess.Popen(
        [nginx, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )


def main() -> int:
    nginx = find_nginx()
    if not nginx:
        print("nginx not found: `apt-get install -y nginx` (or `make two-replicas` as root)", file=sys.stderr)
        return 2
    runtime = nginx_runtime()
    ports = [free_port(), free_port()]
    listen = free_port()
    replicas = [start_replica(p, runtime / "no-store") for p in ports]
    proxy = None
    try:
        for proc, port in zip(replicas, ports):
            wait_http(f"http://127.0.0.1:{port}/_stcore/health", proc)
        check(f"both replicas healthy on 127.0.0.1:{ports[0]} and :{ports[1]}", True)
        proxy = start_nginx(nginx, runtime, listen, ports)
        check("nginx config valid", True)
        base = f"http://127.0.0.1:{listen}"
        wait_http(base + "/_stcore/health", proxy, timeout=20)

        # Find a sticky cookie for each replica (the debug header names the upstream that answered).
        route: dict[int, str] = {}
        for i in range(200):
            _, headers, _ = http_get(base + "/_stcore/health", cookie=f"probe{i}")
            port = int(headers["X-Upstream"].rsplit(":", 1)[-1])
            route.setdefault(port, f"probe{i}")
            if len(route) == 2:
                break
        check("the balancer reaches both replicas", set(route) == set(ports))
        sticky = {http_get(base + "/_stcore/health", cookie=route[ports[0]])[1]["X-Upstream"] for _ in range(10)}
        check("a client sticks to one replica (cookie)", len(sticky) == 1)
        _, headers, _ = http_get(base + "/_stcore/health")
        check("first response sets the sticky cookie", "cchc_route=" in headers.get("Set-Cookie", ""))

        views = {
            p: open_view(base + VIEW, timeout=90, extra_headers={"Cookie": f"cchc_route={route[p]}"}) for p in ports
        }
        for p, v in views.items():
            check(
                f"replica :{p} renders the rankings through nginx (websocket)",
                v.finished == "FINISHED_SUCCESSFULLY" and not v.exceptions and bool(v.tables),
            )
        check("both replicas give the same answers", fingerprint(views[ports[0]]) == fingerprint(views[ports[1]]))
        check("and the answer is Bến Tre first", first_unit(views[ports[0]]) == "Bến Tre")

        stop(replicas[0], signal.SIGKILL)
        check(f"replica :{ports[0]} killed (SIGKILL)", replicas[0].poll() is not None)

        def visit(i):
            cookie = route[ports[i % 2]]  # half of them were pinned to the dead replica
            v = open_view(base + VIEW, timeout=90, extra_headers={"Cookie": f"cchc_route={cookie}"})
            return v.finished == "FINISHED_SUCCESSFULLY" and not v.exceptions and first_unit(v) == "Bến Tre"

        with ThreadPoolExecutor(10) as pool:
            results = list(pool.map(visit, range(20)))
        check(f"after the kill, {sum(results)}/20 sessions served by the survivor", all(results))
        _, headers, _ = http_get(base + "/_stcore/health", cookie=route[ports[0]])
        check(
            "the dead replica's clients are re-routed to the live one", headers["X-Upstream"].endswith(f":{ports[1]}")
        )
        print("two-replica check passed")
        return 0
    finally:
        if proxy is not None:
            stop(proxy, signal.SIGQUIT)
        for proc in replicas:
            stop(proc)
        shutil.rmtree(runtime, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
