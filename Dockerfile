# Utblick: the release binary on a slim Debian, serving the API (and web/ when asked).
FROM rust:1.95-bookworm AS build
WORKDIR /src
RUN apt-get update && apt-get install -y --no-install-recommends libpq-dev && rm -rf /var/lib/apt/lists/*
COPY . .
RUN cargo build --release --locked -p utblick-api --bin utblick

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /var/lib/utblick --create-home utblick
COPY --from=build /src/target/release/utblick /usr/local/bin/utblick
COPY web /usr/share/utblick/web
USER utblick
WORKDIR /var/lib/utblick
ENV UTBLICK__SERVER__HOST=0.0.0.0 \
    UTBLICK__SERVER__PORT=8080 \
    UTBLICK__WEB__DIR=/usr/share/utblick/web \
    UTBLICK__LOG__FORMAT=json
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --retries=5 CMD ["/bin/sh", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q '200 OK' <&3"]
ENTRYPOINT ["/usr/local/bin/utblick"]
CMD ["serve"]
