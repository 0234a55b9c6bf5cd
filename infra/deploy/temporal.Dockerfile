# Temporal Server v1.29.1 and its SQL schema tool, built from the Go module proxy as the start command builds
# them, with the project's configuration. Built from the repository's root:
#   docker build -f infra/deploy/temporal.Dockerfile -t duban-temporal .
FROM golang:1.26-bookworm AS build
ENV CGO_ENABLED=0 GOTOOLCHAIN=local GOBIN=/out
RUN go install go.temporal.io/server/cmd/server@v1.29.1 go.temporal.io/server/cmd/tools/sql@v1.29.1

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client ca-certificates \
  && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/server /out/sql /usr/local/bin/
COPY infra/temporal/production.yaml /etc/temporal/config/production.yaml
COPY infra/deploy/temporal-schema.sh /usr/local/bin/temporal-schema
USER nobody
EXPOSE 7233
CMD ["server", "--root", "/", "--config", "etc/temporal/config", "--env", "production", "--allow-no-auth", "start"]
