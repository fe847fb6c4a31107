package dev.eventstore.registry;

import io.apicurio.common.apps.config.DynamicConfigPropertyList;
import javax.enterprise.context.ApplicationScoped;
import javax.enterprise.inject.Produces;

/**
 * Stands in for Apicurio's config-index extension, whose build-time (deployment) artifact is not on
 * Maven Central: that extension only produces the list of settings that may be changed at run time
 * through the admin API. The local stack changes none, so the list is empty.
 */
@ApplicationScoped
public class RegistryConfigIndex {

    @Produces
    @ApplicationScoped
    DynamicConfigPropertyList dynamicConfigProperties() {
        return new DynamicConfigPropertyList(new java.util.ArrayList<>());
    }
}
