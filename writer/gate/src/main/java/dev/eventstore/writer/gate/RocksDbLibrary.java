package dev.eventstore.writer.gate;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.JarEntry;
import org.rocksdb.RocksDB;
import org.rocksdb.util.Environment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads RocksDB's native library from one copy kept beside the gate's state, instead of a new copy in the temporary
 * directory per JVM. RocksDB's own loader extracts its library (15 MB) to {@code java.io.tmpdir} under a new name at
 * every start and deletes it only when the JVM exits normally: every gate killed (by the kernel's OOM killer, a
 * {@code kill -9}, a container stopped hard) left its copy behind, and 60 such copies, 855 MB, were found in one
 * machine's {@code /tmp} after a day of tests and benchmarks.
 *
 * <p>The copy is named by the library's checksum and size, so a gate of another RocksDB version takes its own, and it
 * is written under a temporary name and moved into place atomically, so that gates starting at once on one state
 * directory never load a half-written file. If it cannot be written (a read-only directory), RocksDB's own loader runs.
 */
final class RocksDbLibrary {

    private static final Logger log = LoggerFactory.getLogger(RocksDbLibrary.class);
    /** The library's name in RocksDB's jar, for this platform: {@code librocksdbjni-linux64.so} on x86-64 Linux. */
    private static final String IN_JAR = Environment.getJniLibraryFileName("rocksdb");
    /**
     * The name {@link RocksDB#loadLibrary(List)} looks for in each directory: {@code librocksdbjnijni-linux64.so} in
     * RocksDB 10.1 ("jni" twice). Should a later version look for another name, the load fails and RocksDB's own loader
     * runs, with a warning; {@code RocksDbLibraryTest} then fails.
     */
    private static final String LOADED_BY_PATH = Environment.getJniLibraryFileName("rocksdbjni");

    /** Whether {@link #loadFrom} ran in this JVM: a second gate in it finds the library loaded. */
    private static boolean loaded;

    private RocksDbLibrary() {}

    /** Loads the library from its copy under {@code directory}, unless this JVM has loaded it already. */
    static synchronized void loadFrom(Path directory) {
        if (loaded) {
            return;
        }
        loaded = true;
        try {
            RocksDB.loadLibrary(List.of(copyIn(directory).getParent().toString()));
        } catch (IOException | UnsatisfiedLinkError e) {
            log.warn("Could not load RocksDB's library from {} ({}); RocksDB extracts a copy to {} instead",
                    directory, e.toString(), System.getProperty("java.io.tmpdir"));
            RocksDB.loadLibrary();
        }
    }

    /** The library's copy under {@code directory}, written if absent. */
    static Path copyIn(Path directory) throws IOException {
        URL library = RocksDB.class.getClassLoader().getResource(IN_JAR);
        if (library == null) {
            throw new IOException(IN_JAR + " is not in RocksDB's jar for this platform");
        }
        Path copy = directory.resolve(identity(library)).resolve(LOADED_BY_PATH);
        if (Files.exists(copy)) {
            return copy;
        }
        Files.createDirectories(copy.getParent());
        Path staged = Files.createTempFile(copy.getParent(), "rocksdbjni", ".partial");
        try {
            try (InputStream bytes = library.openStream()) {
                Files.copy(bytes, staged, StandardCopyOption.REPLACE_EXISTING);
            }
            // Atomic: a gate starting at the same moment finds no file or a whole one. Another gate's copy moved
            // into place meanwhile is replaced by the same bytes; a JVM that mapped it keeps its mapping.
            Files.move(staged, copy, StandardCopyOption.ATOMIC_MOVE);
            return copy;
        } finally {
            Files.deleteIfExists(staged);
        }
    }

    /**
     * A name of the library's bytes, one per version: the CRC-32 and size its jar entry records, read from the jar's
     * directory (a digest of the 15 MB took 64–266 ms of every gate's start); a SHA-256 prefix when the library is not
     * in a jar.
     */
    private static String identity(URL library) throws IOException {
        if (library.openConnection() instanceof JarURLConnection jar) {
            JarEntry entry = jar.getJarEntry();
            if (entry.getCrc() >= 0 && entry.getSize() >= 0) {
                return String.format("%08x-%d", entry.getCrc(), entry.getSize());
            }
        }
        try (InputStream bytes = library.openStream()) {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int read = bytes.read(buffer); read >= 0; read = bytes.read(buffer)) {
                sha256.update(buffer, 0, read);
            }
            return HexFormat.of().formatHex(sha256.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
