# NATO Status Bot: slim runtime image, non-root, knowledge baked in (mount your own at /app/knowledge).
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
RUN pip install --no-cache-dir --prefix=/install .

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
