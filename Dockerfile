# The Stormdraft studio. Build: docker build -t stormdraft .  (or: docker compose up)

# Browser libraries come from the npm registry through package.json and its lock file.
FROM node:20-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund
RUN npm run --silent vendor

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends graphviz \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /srv/stormdraft
COPY pyproject.toml README.md alembic.ini ./
COPY app ./app
COPY alembic ./alembic
COPY catalog ./catalog
COPY templates ./templates
COPY static ./static
COPY --from=assets /build/static/vendor ./static/vendor
# Editable, so the installed package finds templates/, static/, catalog/ and alembic/ beside it.
RUN pip install -e . \
    && useradd --system --home-dir /srv/stormdraft stormdraft \
    && mkdir data && chown stormdraft data
USER stormdraft

# Without DATABASE_URL (compose sets one) the studio keeps a SQLite file in the data volume.
ENV STORMDRAFT_ENVIRONMENT=production \
    DATABASE_URL=sqlite:////srv/stormdraft/data/stormdraft.db
VOLUME /srv/stormdraft/data
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"]
CMD ["sh", "-c", "alembic upgrade head && exec stormdraft serve --host 0.0.0.0 --port 8000"]
