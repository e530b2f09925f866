#!/bin/sh
# The one place that knows how to install and start the dashboard. The Dockerfile calls it, and so can
# a plain machine:  deploy/serve.sh install   then   deploy/serve.sh start   (or just deploy/serve.sh).
#
# Environment (all optional):
#   CCHC_VENV        virtualenv to create/use            (default: <repo>/.venv-serve)
#   PYTHON           interpreter used to create the venv (default: python3)
#   PORT             port to listen on                   (default: 8501)
#   ADDRESS          address to bind                     (default: 0.0.0.0; use 127.0.0.1 behind a local proxy)
#   CCHC_DATA_DIR    a mounted data directory instead of the baked-in data/
#   CCHC_DATA_URL    s3://bucket/prefix to read the data from object storage (see docs/deploy.md)
#   CCHC_STORE_DIR   the importer's versioned store (default: <data>/store)
#   CCHC_PUBLIC_URL  public base URL used in share links and citations
set -eu

ROOT=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
VENV=${CCHC_VENV:-"$ROOT/.venv-serve"}
PYTHON=${PYTHON:-python3}
PORT=${PORT:-8501}
ADDRESS=${ADDRESS:-0.0.0.0}

install() {
    if [ ! -x "$VENV/bin/python" ]; then
        "$PYTHON" -m venv "$VENV"
    fi
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$ROOT/requirements.txt"
    # Fail the build now, not at the first request, if the app cannot import or the data is unreadable.
    (cd "$ROOT" && "$VENV/bin/python" -c "
import cchc_data.db as db, cchc_data.store as store
con = db.open_connection(store.active_dir())
print('data ok:', con.sql('SELECT count(*) FROM results').fetchall()[0][0], 'results')
con.close()")
}

start() {
    cd "$ROOT"
    exec "$VENV/bin/python" -m streamlit run serve.py \
        --server.port "$PORT" --server.address "$ADDRESS" --server.headless true \
        --server.fileWatcherType none --browser.gatherUsageStats false
}

case "${1:-all}" in
    install) install ;;
    start) start ;;
    all) install; start ;;
    *) echo "usage: $0 [install|start|all]" >&2; exit 2 ;;
esac
