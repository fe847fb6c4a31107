package dev.eventstore.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CpuModelTest {

    @Test
    void theFirstProcessorsNameFamilyAndModelNotItsModelName() {
        List<String> cpuinfo = List.of("processor\t: 0", "vendor_id\t: GenuineIntel", "cpu family\t: 6", "model\t\t: 167",
                "model name\t: Intel(R) Xeon(R) Processor", "stepping\t: 1", "", "processor\t: 1", "model\t\t: 85");

        assertThat(CpuModel.describe(cpuinfo)).contains("Intel(R) Xeon(R) Processor (family 6, model 167)");
    }

    @Test
    void aProcessorWithoutFamilyAndModelIsNamedAlone() {
        assertThat(CpuModel.describe(List.of("model name : Neoverse-N1"))).contains("Neoverse-N1");
    }

    @Test
    void noModelNameNoDescription() {
        assertThat(CpuModel.describe(List.of("processor : 0", "Hardware : BCM2835"))).isEmpty();
    }
}
