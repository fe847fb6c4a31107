package dev.eventstore.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LocalStackOptionsTest {

    private static final String PROPERTY = "eventstore.test.kafka";

    @AfterEach
    void clear() {
        System.clearProperty(PROPERTY);
    }

    @Test
    void kafkaRunsInAContainerOnlyWhenTheSwitchAsksForIt() {
        System.setProperty(PROPERTY, "testcontainers");
        assertThat(LocalStackOptions.fromEnvironment().kafkaInContainer()).isTrue();
        System.setProperty(PROPERTY, "embedded");
        assertThat(LocalStackOptions.fromEnvironment().kafkaInContainer()).isFalse();
        assertThat(LocalStackOptions.defaults().kafkaInContainer()).isFalse();
    }

    @Test
    void anUnknownSwitchValueIsRefusedWithTheChoices() {
        System.setProperty(PROPERTY, "docker");
        assertThatThrownBy(LocalStackOptions::fromEnvironment).isInstanceOf(LocalStackException.class)
                .hasMessageContaining("'embedded' or 'testcontainers', not 'docker'");
    }
}
