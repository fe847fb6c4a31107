# The store's own processes as one image: `gate`, `indexer`, and the operator commands (`lag`, `streams`,
# `stream-info`, `rebuild-index`), configured by EVENTSTORE_* environment variables (see README.md).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# The launcher and what it needs; the embedded registry (local-registry) is for the local stack only.
RUN mvn -B -q -DskipTests -pl launcher -am package

FROM eclipse-temurin:17-jre
WORKDIR /opt/eventstore
COPY --from=build /src/launcher/target/launcher.jar ./launcher.jar
COPY --from=build /src/launcher/target/lib/ ./lib/
# The state directory exists in the image, owned by the user, so that a named volume mounted on it starts
# with that ownership.
RUN useradd --system --home-dir /var/lib/eventstore --create-home eventstore \
    && mkdir -p /var/lib/eventstore/gate-state && chown -R eventstore /var/lib/eventstore
USER eventstore
ENV EVENTSTORE_GATE_STATE_DIR=/var/lib/eventstore/gate-state
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-cp", "/opt/eventstore/launcher.jar:/opt/eventstore/lib/*", "dev.eventstore.launcher.Main"]
CMD ["--help"]
