# NATO Status Bot: slim runtime image, non-root, knowledge baked in (mount your own at /app/knowledge).
#
# Layers: the dependencies (from pyproject.toml, pinned by requirements.lock) are installed before any code
# is copied, so a code change rebuilds only the small code layer. A package mirror:
#   docker build --build-arg PIP_INDEX_URL=https://mirror.example/simple [--build-arg PIP_TRUSTED_HOST=mirror.example] .
# The build args are declared in the build stages only: they are not in the final image or its history.

# --- dependencies: rebuilt only when pyproject.toml or requirements.lock change
FROM python:3.11-slim AS deps
WORKDIR /src
ARG PIP_INDEX_URL
ARG PIP_EXTRA_INDEX_URL
ARG PIP_TRUSTED_HOST
COPY pyproject.toml requirements.lock ./
# The runtime dependencies named in pyproject.toml, at the versions requirements.lock pins (the lock also pins
# the test tools: constraints, not requirements, so those are not installed).
RUN if [ -z "${PIP_INDEX_URL:-}" ]; then unset PIP_INDEX_URL; fi \
    && python -c "import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies'], sep='\n')" > dependencies.txt \
    && pip install --no-cache-dir --disable-pip-version-check -c requirements.lock -r dependencies.txt --prefix=/deps

# --- the bot's own code, installed without dependencies on top of the layer above
FROM deps AS code
ARG PIP_INDEX_URL
ARG PIP_EXTRA_INDEX_URL
ARG PIP_TRUSTED_HOST
COPY README.md ./
COPY bot ./bot
RUN if [ -z "${PIP_INDEX_URL:-}" ]; then unset PIP_INDEX_URL; fi \
    && pip install --no-cache-dir --disable-pip-version-check --no-deps --prefix=/install .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    NATOBOT_KNOWLEDGE=/app/knowledge \
    NATOBOT_STATE_DIR=/data \
    NATOBOT_HTTP_PORT=9100
RUN useradd --create-home --uid 10001 natobot \
    && mkdir -p /app /data \
    && chown natobot:natobot /data
COPY --from=deps /deps /usr/local
COPY --from=code /install /usr/local
WORKDIR /app
COPY --chown=natobot:natobot knowledge ./knowledge
USER 10001
VOLUME ["/data"]
EXPOSE 9100
# The running process must answer /healthz with 200: a frozen, stopped or degraded bot (/healthz says 503) is
# unhealthy. Listening on 127.0.0.1 (the default NATOBOT_HTTP_HOST) is enough: the probe runs in the container.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, sys, urllib.request as u; r = u.urlopen('http://127.0.0.1:%s/healthz' % os.environ['NATOBOT_HTTP_PORT'], timeout=4); sys.exit(r.status != 200)"]
ENTRYPOINT ["natobot"]
CMD ["run"]
