"""A minimal Streamlit websocket client: open a view like a browser would and collect what it shows.

Used by the concurrency test and the two-replica check (no browser needed). It speaks the same
protocol as Streamlit's frontend: connect to /_stcore/stream, send a BackMsg `rerun_script` with the
page's url path and query string, then read ForwardMsgs until `script_finished`.
Only ever point it at 127.0.0.1/localhost.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.sync.client import connect


@dataclass
class View:
    texts: list[str] = field(default_factory=list)  # markdown/heading/metric/caption/alert/text bodies
    tables: list = field(default_factory=list)  # pyarrow Tables from st.dataframe/st.table
    exceptions: list[str] = field(default_factory=list)  # Exception elements (should be none)
    finished: str = ""  # script_finished status name
    seconds: float = 0.0
    cookies: str = ""

    def text(self) -> str:
        return "\n".join(self.texts)


def _collect(element, view: View) -> None:
    kind = element.WhichOneof("type")
    if kind is None:
        return
    payload = getattr(element, kind)
    if kind == "exception":
        view.exceptions.append(f"{payload.type}: {payload.message}")
    elif kind in ("dataframe", "table"):
        data = getattr(payload, "arrow_data", None)
        data = getattr(data, "data", b"") if data is not None else b""
        if data:
            import pyarrow as pa

            view.tables.append(pa.ipc.open_stream(io.BytesIO(data)).read_all())
    elif hasattr(payload, "body") and isinstance(payload.body, str):
        view.texts.append(payload.body)
    if kind == "metric":
        view.texts.append(f"{payload.label}: {payload.body}")


def open_view(url: str, timeout: float = 60.0, extra_headers: dict | None = None) -> View:
    """Open e.g. http://127.0.0.1:8501/rankings?index=papi and return what the page rendered."""
    parts = urlsplit(url)
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise ValueError("loopback only")
    ws_url = f"ws://{parts.netloc}/_stcore/stream"
    msg = BackMsg()
    msg.rerun_script.query_string = parts.query
    msg.rerun_script.page_name = parts.path.strip("/")
    view = View()
    started = time.monotonic()
    with connect(
        ws_url,
        subprotocols=["streamlit"],
        open_timeout=timeout,
        close_timeout=2,
        additional_headers=extra_headers or {},
        max_size=2**26,
    ) as ws:
        ws.send(msg.SerializeToString())
        deadline = started + timeout
        while True:
            raw = ws.recv(timeout=max(0.1, deadline - time.monotonic()))
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            kind = fwd.WhichOneof("type")
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                _collect(fwd.delta.new_element, view)
            elif kind == "script_finished":
                view.finished = ForwardMsg.ScriptFinishedStatus.Name(fwd.script_finished)
                # a page that changes its own query params / reruns reports FINISHED_EARLY_FOR_RERUN
                if fwd.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    break
    view.seconds = time.monotonic() - started
    return view
