# NATO Status Bot: slim runtime image, non-root, knowledge baked in (mount your own at /app/knowledge).
FROM python:3.11-slim AS build
WORKDIR /src
# --build-arg PIP_INDEX_URL=... installs from a mirror; unset, pip's default index.
ARG PIP_INDEX_URL=""
COPY pyproject.toml README.md requirements.lock ./
COPY bot ./bot
RUN if [ -z "$PIP_INDEX_URL" ]; then unset PIP_INDEX_URL; fi \
    && pip install --no-cache-dir -c requirements.lock --prefix=/install .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    NATOBOT_KNOWLEDGE=/app/knowledge \
    NATOBOT_STATE_DIR=/data
COPY --from=build /install /usr/local
RUN useradd --create-home --uid 10001 natobot \
    && mkdir -p /app /data \
    && chown natobot:natobot /data
WORKDIR /app
COPY --chown=natobot:natobot knowledge ./knowledge
USER 10001
VOLUME ["/data"]
# The knowledge must load, or the container is unhealthy.
HEALTHCHECK --interval=60s --timeout=10s --start-period=20s CMD ["natobot", "check"]
ENTRYPOINT ["natobot"]
CMD ["run"]
