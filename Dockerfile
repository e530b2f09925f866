# Slim, non-root image of the dashboard. Install and start steps live in deploy/serve.sh (tested in
# tests/unit/test_deploy_script.py, since no Docker daemon runs on the build machines).
#   docker build -t cchc-dashboard .
#   docker run -p 8501:8501 cchc-dashboard                                   # data baked in
#   docker run -p 8501:8501 -v /srv/cchc:/data:ro -e CCHC_DATA_DIR=/data cchc-dashboard   # data mounted
#   docker run -p 8501:8501 -e CCHC_DATA_URL=s3://bucket/prefix -e AWS_ENDPOINT_URL=... cchc-dashboard
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    CCHC_VENV=/opt/venv \
    PORT=8501 \
    ADDRESS=0.0.0.0 \
    CCHC_CACHE_DIR=/home/app/.cache/cchc

RUN groupadd --gid 10001 app && useradd --uid 10001 --gid app --create-home --shell /usr/sbin/nologin app

WORKDIR /app
# Dependencies first (a layer that only changes with requirements.txt) ...
COPY requirements.txt /app/requirements.txt
COPY deploy/serve.sh /app/deploy/serve.sh
RUN python -m venv /opt/venv && /opt/venv/bin/pip install -r /app/requirements.txt
# ... then the code and the shipped data, owned by root and read-only for the app user.
COPY . /app
RUN deploy/serve.sh install && chmod -R a-w /app

USER app
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
    CMD /opt/venv/bin/python -c "import os, sys, urllib.request; r = urllib.request.urlopen('http://127.0.0.1:%s/_stcore/health' % os.environ.get('PORT', '8501'), timeout=4); sys.exit(0 if r.status == 200 else 1)"
CMD ["deploy/serve.sh", "start"]
