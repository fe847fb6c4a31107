package dev.eventstore.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;

/**
 * A client of the Confluent Schema Registry REST API (also served by Apicurio, Karapace and Redpanda).
 * Registrations and look-ups by id are cached for the life of the client: ids are immutable, so once
 * warm no event costs a registry call. Thread-safe.
 */
public final class SchemaRegistryClient {

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SchemaRegistryConfig config;
    private final HttpClient http;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();

    public SchemaRegistryClient(SchemaRegistryConfig config) {
        this.config = config;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(config.timeout());
        config.sslContext().ifPresent(builder::sslContext);
        this.http = builder.build();
    }

    /**
     * Registers a schema under a subject (or finds it already registered) and returns its id.
     *
     * @throws SchemaRegistryException with status 409 and the registry's reason when the schema is
     *     incompatible with the subject's compatibility level
     */
    public int register(String subject, Schema schema) {
        // computeIfAbsent makes concurrent first uses of a schema wait for one registration instead of
        // racing the registry with the same request (Apicurio answers such races with HTTP 500).
        return idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>()).computeIfAbsent(schema, s -> {
            int id = send(post(path("subjects", subject, "versions"), schemaBody(schema))).path("id").asInt();
            schemasById.putIfAbsent(id, schema);
            return id;
        });
    }

    /**
     * The id of a schema already registered under a subject, without registering it.
     *
     * @throws SchemaRegistryException with status 404 when the subject does not hold that schema
     */
    public int lookUp(String subject, Schema schema) {
        return idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>()).computeIfAbsent(schema, s -> {
            int id = send(post(path("subjects", subject), schemaBody(schema))).path("id").asInt();
            schemasById.putIfAbsent(id, schema);
            return id;
        });
    }

    /** The schema with this id; cached, as ids never change meaning. */
    public Schema schemaById(int id) {
        return schemasById.computeIfAbsent(id, key -> new Schema.Parser().parse(
                send(get(path("schemas", "ids", Integer.toString(id)))).path("schema").asText()));
    }

    /** The latest version registered under a subject; asks the registry every time. */
    public RegisteredSchema latest(String subject) {
        JsonNode answer = send(get(path("subjects", subject, "versions", "latest")));
        Schema schema = new Schema.Parser().parse(answer.path("schema").asText());
        int id = answer.path("id").asInt();
        schemasById.putIfAbsent(id, schema);
        return new RegisteredSchema(subject, answer.path("version").asInt(), id, schema);
    }

    /** Every subject the registry holds. */
    public List<String> subjects() {
        List<String> subjects = new ArrayList<>();
        send(get(path("subjects"))).forEach(subject -> subjects.add(subject.asText()));
        return subjects;
    }

    /**
     * Whether the registry would accept a schema as the subject's next version under its compatibility
     * rule, without registering it. A subject without versions accepts anything.
     */
    public CompatibilityCheck testCompatibility(String subject, Schema schema) {
        try {
            JsonNode answer = send(post(URI.create(path("compatibility", "subjects", subject, "versions", "latest")
                    + "?verbose=true"), schemaBody(schema)));
            List<String> messages = new ArrayList<>();
            answer.path("messages").forEach(message -> messages.add(message.asText())); // Confluent
            if (answer.hasNonNull("reason")) {
                messages.add(answer.path("reason").asText()); // Apicurio
            }
            return new CompatibilityCheck(answer.path("is_compatible").asBoolean(false), messages);
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                return new CompatibilityCheck(true, List.of());
            }
            if (e.isIncompatible()) {
                return new CompatibilityCheck(false, List.of(e.getMessage()));
            }
            throw e;
        }
    }

    /**
     * The subject's own compatibility level. Registries differ for a subject without one: Confluent
     * answers with the global level (asked with {@code defaultToGlobal}), Apicurio with {@code NONE}.
     */
    public String compatibility(String subject) {
        return send(get(URI.create(path("config", subject) + "?defaultToGlobal=true"))).path("compatibilityLevel").asText();
    }

    /** The registry's global compatibility level, which applies to subjects without their own. */
    public String globalCompatibility() {
        return send(get(path("config"))).path("compatibilityLevel").asText();
    }

    /** HTTP requests sent to the registry so far: once the caches are warm, appends and reads add none. */
    public long requests() {
        return requests.get();
    }

    /** Sets a subject's compatibility level, e.g. {@code BACKWARD}, {@code FULL}, {@code NONE}. */
    public void setCompatibility(String subject, String level) {
        String body = JSON.createObjectNode().put("compatibility", level).toString();
        send(request(path("config", subject)).PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static String schemaBody(Schema schema) {
        return JSON.createObjectNode().put("schema", schema.toString()).toString();
    }

    private URI path(String... segments) {
        StringBuilder uri = new StringBuilder(config.url().toString());
        for (String segment : segments) {
            uri.append('/').append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return URI.create(uri.toString());
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(config.timeout())
                .header("Accept", CONTENT_TYPE)
                .header("Content-Type", CONTENT_TYPE);
        config.basicAuthUserInfo().ifPresent(userInfo -> builder.header("Authorization",
                "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8))));
        return builder;
    }

    private HttpRequest get(URI uri) {
        return request(uri).GET().build();
    }

    private HttpRequest post(URI uri, String body) {
        return request(uri).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private JsonNode send(HttpRequest request) {
        HttpResponse<String> response;
        requests.incrementAndGet();
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.net.http.HttpTimeoutException e) {
            throw new SchemaRegistryException("schema registry at " + config.url() + " did not answer " + request.method()
                    + " " + request.uri().getPath() + " within " + config.timeout().toMillis() + " ms", e);
        } catch (IOException e) {
            throw new SchemaRegistryException("schema registry at " + config.url() + " unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("interrupted while calling the schema registry", e);
        }
        JsonNode body = parse(response.body());
        if (response.statusCode() / 100 != 2) {
            String reason = body.path("message").asText(response.body());
            throw new SchemaRegistryException(response.statusCode(), body.path("error_code").asInt(response.statusCode()),
                    "schema registry refused " + request.method() + " " + request.uri().getPath()
                            + " (HTTP " + response.statusCode() + "): " + reason);
        }
        return body;
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode().put("message", body);
        }
    }
}
