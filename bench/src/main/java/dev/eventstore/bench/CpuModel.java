package dev.eventstore.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The processor a run measured on, as {@code /proc/cpuinfo} names it: the ratios depend on it (the store and the
 * baseline spend their CPU in different programs, and a newer CPU speeds them up unequally), so every result
 * file says which it came from.
 */
final class CpuModel {

    private static final Path CPUINFO = Path.of("/proc/cpuinfo");

    private CpuModel() {}

    /** {@code <model name> (family F, model M)} of the first processor, or "unknown" where there is no cpuinfo. */
    static String ofThisMachine() {
        try {
            return describe(Files.readAllLines(CPUINFO)).orElse("unknown");
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static Optional<String> describe(List<String> cpuinfo) {
        Optional<String> name = field(cpuinfo, "model name");
        Optional<String> family = field(cpuinfo, "cpu family");
        Optional<String> model = field(cpuinfo, "model");
        if (name.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(family.isPresent() && model.isPresent()
                ? name.get() + " (family " + family.get() + ", model " + model.get() + ")" : name.get());
    }

    /** The value of the first line {@code <key> : <value>} (the key exactly, tabs before the colon allowed). */
    private static Optional<String> field(List<String> cpuinfo, String key) {
        for (String line : cpuinfo) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                return Optional.of(line.substring(colon + 1).trim());
            }
        }
        return Optional.empty();
    }
}
