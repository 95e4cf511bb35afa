# vendorwatch worker image: slim, non-root, healthy while `vendorwatch status` says so.
#   docker build -t vendorwatch .
#   docker run --env-file vendorwatch.env -v ./config:/etc/vendorwatch:ro vendorwatch
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml setup.py README.md ./
COPY vendorwatch ./vendorwatch
COPY registry ./registry
COPY connectors ./connectors
COPY notify ./notify
COPY reports ./reports
COPY config ./config
RUN pip install --no-cache-dir --prefix=/install .

FROM python:3.11-slim
# WeasyPrint (board reports) needs Pango; nothing else is installed.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /var/lib/vendorwatch --create-home vendorwatch
COPY --from=build /install /usr/local
USER 10001:10001
WORKDIR /var/lib/vendorwatch
ENV VENDORWATCH_CONFIG=/etc/vendorwatch/vendorwatch.toml \
    PYTHONUNBUFFERED=1
# status answers within 10 s whatever the database does; exit 1 when no worker is live, a job keeps failing,
# a delivery failed for good, a task is overdue or a source keeps failing.
HEALTHCHECK --interval=30s --timeout=15s --start-period=30s --retries=3 CMD ["vendorwatch", "status"]
ENTRYPOINT ["vendorwatch"]
CMD ["run"]
