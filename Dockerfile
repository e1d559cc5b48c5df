# Build: docker build -t orderhub .   (the compose file builds it for you)
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
RUN ./mvnw -B -ntp -q dependency:go-offline
COPY src src
COPY routes routes
COPY mappings mappings
COPY examples examples
RUN ./mvnw -B -ntp -q -DskipTests package && cp target/orderhub-*.jar /src/orderhub.jar

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 orderhub && mkdir -p /data && chown orderhub /data
USER orderhub
WORKDIR /app
COPY --from=build /src/orderhub.jar /app/orderhub.jar
ENV ORDERHUB_DATA_DIR=/data \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s \
  CMD wget -qO- http://localhost:8080/actuator/health/readiness >/dev/null 2>&1 || exit 1
ENTRYPOINT ["java", "-jar", "/app/orderhub.jar"]
