package dev.eventstore.schemas.registry;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Where the schema registry is and how to talk to it.
 *
 * @param url base URL of a Confluent-compatible REST API, e.g. {@code http://localhost:8081} for
 *     Confluent or {@code http://localhost:8080/apis/ccompat/v7} for Apicurio
 * @param timeout per HTTP request; a registry that does not answer in time is an error, never a hang
 * @param basicAuthUserInfo {@code user:password} for HTTP basic authentication, if the registry needs it
 * @param sslContext for an {@code https} registry with a private CA or client certificates (default: the
 *     JVM's trust store)
 */
public record SchemaRegistryConfig(URI url, Duration timeout, Optional<String> basicAuthUserInfo,
                                   Optional<SSLContext> sslContext) {

    public SchemaRegistryConfig {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(basicAuthUserInfo, "basicAuthUserInfo");
        Objects.requireNonNull(sslContext, "sslContext");
        String text = url.toString();
        if (text.endsWith("/")) {
            url = URI.create(text.substring(0, text.length() - 1));
        }
    }

    public static SchemaRegistryConfig of(String url) {
        return new SchemaRegistryConfig(URI.create(url), Duration.ofSeconds(10), Optional.empty(), Optional.empty());
    }

    public SchemaRegistryConfig withTimeout(Duration timeout) {
        return new SchemaRegistryConfig(url, timeout, basicAuthUserInfo, sslContext);
    }

    public SchemaRegistryConfig withBasicAuth(String userInfo) {
        return new SchemaRegistryConfig(url, timeout, Optional.of(userInfo), sslContext);
    }

    public SchemaRegistryConfig withSslContext(SSLContext sslContext) {
        return new SchemaRegistryConfig(url, timeout, basicAuthUserInfo, Optional.of(sslContext));
    }

    @Override
    public String toString() {
        // Never print the password.
        return "SchemaRegistryConfig[url=" + url + ", timeout=" + timeout + ", basicAuth="
                + basicAuthUserInfo.map(u -> u.replaceAll(":.*", ":***")).orElse("none") + ", tls="
                + sslContext.map(c -> "custom").orElse("default") + "]";
    }
}
