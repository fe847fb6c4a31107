package dev.eventstore.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStackTest {

    private static final String SCHEMA = "{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"Probe\\\",\\\"fields\\\":[{\\\"name\\\":\\\"a\\\",\\\"type\\\":\\\"string\\\"}]}";

    @TempDir
    Path dataDir;

    @Test
    void aStackRestartedOnItsDataDirectoryKeepsRowsSchemasAndAddresses() throws Exception {
        String bootstrap;
        String jdbcUrl;
        String registryUrl;
        String schemaId;
        try (LocalStack stack = LocalStack.start(LocalStackOptions.defaults().withDataDir(dataDir))) {
            bootstrap = stack.bootstrapServers();
            jdbcUrl = stack.jdbcUrl();
            registryUrl = stack.schemaRegistryUrl();
            try (Connection connection = DriverManager.getConnection(jdbcUrl, stack.jdbcUser(), stack.jdbcPassword());
                 Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE probe (value text)");
                statement.execute("INSERT INTO probe VALUES ('kept')");
            }
            HttpResponse<String> registered = http(HttpRequest.newBuilder(URI.create(registryUrl + "/subjects/probe-value/versions"))
                    .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"schema\":\"" + SCHEMA + "\"}")));
            assertThat(registered.statusCode()).isEqualTo(200);
            schemaId = registered.body().replaceAll("[^0-9]", "");
        }

        try (LocalStack stack = LocalStack.start(LocalStackOptions.defaults().withDataDir(dataDir))) {
            assertThat(stack.bootstrapServers()).isEqualTo(bootstrap);
            assertThat(stack.jdbcUrl()).isEqualTo(jdbcUrl);
            assertThat(stack.schemaRegistryUrl()).isEqualTo(registryUrl);
            try (Connection connection = DriverManager.getConnection(jdbcUrl, stack.jdbcUser(), stack.jdbcPassword());
                 Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT value FROM probe")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("kept");
            }
            HttpResponse<String> found = http(HttpRequest.newBuilder(URI.create(registryUrl + "/schemas/ids/" + schemaId)).GET());
            assertThat(found.statusCode()).isEqualTo(200);
            assertThat(found.body()).contains("Probe");
        }
    }

    private static HttpResponse<String> http(HttpRequest.Builder request) throws Exception {
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
