package dev.eventstore.writer.gate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.util.Environment;

class RocksDbLibraryTest {

    @Test
    void theLibraryIsCopiedOnceWholeAndFoundThereAfter(@TempDir Path dir) throws Exception {
        Path copy = RocksDbLibrary.copyIn(dir);
        Object file = Files.readAttributes(copy, "unix:ino").get("ino");

        Path again = RocksDbLibrary.copyIn(dir);

        assertThat(again).isEqualTo(copy);
        assertThat(Files.readAttributes(again, "unix:ino").get("ino")).as("not written again").isEqualTo(file);
        try (InputStream inJar = RocksDB.class.getClassLoader().getResourceAsStream(Environment.getJniLibraryFileName("rocksdb"))) {
            assertThat(Files.readAllBytes(copy)).isEqualTo(inJar.readAllBytes());
        }
        assertThat(filesUnder(dir)).containsExactly(copy);
        assertThat(copy.getParent().getFileName().toString()).as("named from the jar entry's checksum and size, not a digest")
                .matches("[0-9a-f]{8}-" + Files.size(copy));
    }

    @Test
    void gatesStartingAtOnceEachFindOneWholeCopy(@TempDir Path dir) throws Exception {
        ExecutorService gates = Executors.newFixedThreadPool(4);
        try {
            List<Future<Path>> copies = new ArrayList<>();
            for (int gate = 0; gate < 4; gate++) {
                copies.add(gates.submit((Callable<Path>) () -> RocksDbLibrary.copyIn(dir)));
            }
            Path first = copies.get(0).get(60, TimeUnit.SECONDS);
            for (Future<Path> copy : copies) {
                assertThat(copy.get(60, TimeUnit.SECONDS)).isEqualTo(first);
            }
            assertThat(filesUnder(dir)).as("no half-written file left").containsExactly(first);
            assertThat(Files.size(first)).isPositive();
        } finally {
            gates.shutdownNow();
        }
    }

    @Test
    void aGateKilledHardLeavesNoCopyInTheTemporaryDirectory(@TempDir Path dir) throws Exception {
        // RocksDB's own loader deletes its copy when the JVM exits normally, so only a JVM killed shows the difference.
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path nativeDir = dir.resolve("native");
        Path log = dir.resolve("child.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"),
                OpensAStoreAndWaits.class.getName(), nativeDir.toString(), dir.resolve("db").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.readString(log).contains(OpensAStoreAndWaits.OPENED) && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(Files.readString(log)).contains(OpensAStoreAndWaits.OPENED);
        } finally {
            child.destroyForcibly().waitFor(60, TimeUnit.SECONDS);
        }

        assertThat(filesUnder(tmp)).as("RocksDB's own loader leaves its copy here").noneMatch(file -> file.toString().contains("rocksdbjni"));
        assertThat(filesUnder(nativeDir)).hasSize(1);
    }

    /** A JVM of its own: loads the library as the gate does, opens a store, writes and reads it, then waits to be killed. */
    public static final class OpensAStoreAndWaits {
        static final String OPENED = "store opened";

        public static void main(String[] args) throws Exception {
            RocksDbLibrary.loadFrom(Path.of(args[0]));
            try (Options options = new Options().setCreateIfMissing(true); RocksDB db = RocksDB.open(options, args[1])) {
                db.put(new byte[] {1}, new byte[] {2});
                System.out.println(db.get(new byte[] {1})[0] == 2 ? OPENED : "read back another value");
                System.out.flush();
                Thread.sleep(TimeUnit.MINUTES.toMillis(5));
            }
        }
    }

    private static List<Path> filesUnder(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}
