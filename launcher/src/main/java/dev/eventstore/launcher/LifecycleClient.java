package dev.eventstore.launcher;

import dev.eventstore.writer.api.AppendClient;
import dev.eventstore.writer.api.AppendClientConfig;

/** The append client the lifecycle commands send their change through (the gate decides it). */
final class LifecycleClient {

    private LifecycleClient() {}

    static AppendClient open(SettingsOption option) {
        StoreSettings settings = option.settings();
        StoreAddresses addresses = settings.addresses();
        return AppendClient.create(AppendClientConfig.of(addresses.bootstrapServers(), addresses.schemaRegistryUrl())
                .withTopics(settings.topics()));
    }
}
