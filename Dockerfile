# Image for the Helm chart: build the jar first (./mvnw -DskipTests package), then docker build .
FROM eclipse-temurin:17-jre
RUN useradd --uid 10001 --system controlplane
WORKDIR /app
COPY target/ai-employee-control-plane-*.jar /app/control-plane.jar
USER 10001
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/control-plane.jar"]
