package dev.eventstore.local;

import java.io.IOException;
import java.util.Arrays;

/**
 * Entry point of the stack's child JVMs: runs the given main class, and exits when standard input
 * reaches end of file. The parent holds the other end of that pipe, so when the parent dies, even by
 * SIGKILL, its children stop too instead of lingering on their ports.
 */
public final class OrphanGuard {

    private OrphanGuard() {}

    public static void main(String[] args) throws Throwable {
        Thread guard = new Thread(() -> {
            try {
                while (System.in.read() != -1) {
                    // the parent never writes; we only wait for the pipe to close
                }
            } catch (IOException e) {
                // a broken pipe means the same: the parent is gone
            }
            System.exit(0);
        }, "orphan-guard");
        guard.setDaemon(true);
        guard.start();
        Class.forName(args[0]).getMethod("main", String[].class).invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    }
}
