package dev.eventsource.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A class's {@code main} run in a JVM of its own, on this JVM's class path, for tests of what survives the death of
 * a process: start it, wait until it has done something, {@link #kill()} it ({@code kill -9}: no shutdown hook, no
 * lease released, no buffer flushed), and then check what another instance finds.
 *
 * <p>The child is a quick-starting JVM (C1 only, serial GC), as a test measures leases and recovery, not the JIT.
 * Its standard output and error go to a temporary file, shown whenever a wait fails.
 *
 * <pre>{@code
 * try (ChildJvm child = ChildJvm.start(RelayMain.class, url, table)) {
 *     child.await("the child holds the lease", Duration.ofSeconds(60), () -> child.output().contains("active"));
 *     child.kill();
 *     // a new instance in this JVM takes over ...
 * }
 * }</pre>
 */
public final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final Path log;
    private volatile boolean killed;

    private ChildJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code mainClass}'s {@code main} in a new JVM.
     *
     * @param mainClass a class on this JVM's class path with a {@code main} method
     * @param args its arguments
     * @return the running child
     * @throws IOException when the JVM cannot be started or its log file created
     */
    public static ChildJvm start(Class<?> mainClass, String... args) throws IOException {
        Path log = Files.createTempFile(mainClass.getSimpleName(), ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(List.of(args));
        try {
            return new ChildJvm(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .start(), log);
        } catch (IOException e) {
            Files.deleteIfExists(log);
            throw e;
        }
    }

    /** @return the child's process */
    public Process process() {
        return process;
    }

    /** @return what the child has written to its standard output and error so far */
    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until {@code condition} holds, checking every 2 ms; also after {@link #kill()}, for what others do once
     * the child is gone.
     *
     * @param what what the condition means, for the failure's message
     * @param timeout how long to wait at most
     * @param condition checked on this thread
     * @throws AssertionError with the child's output, when the time is up or the child ended without being killed
     */
    public void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (!killed && !process.isAlive()) {
                throw new AssertionError("The child JVM ended (exit " + process.exitValue() + ") before " + what
                        + "; its output:\n" + output());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout + " waiting until " + what
                        + "; the child JVM's output:\n" + output());
            }
            LockSupport.parkNanos(2_000_000);
        }
    }

    /**
     * Kills the child with SIGKILL ({@code kill -9}) and waits for it to be gone.
     *
     * @throws AssertionError when it is still alive 10 seconds later
     * @throws InterruptedException when interrupted while waiting
     */
    public void kill() throws InterruptedException {
        killed = true;
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError("The child JVM (pid " + process.pid() + ") is still alive 10 s after kill -9");
        }
    }

    /** Kills the child if it still runs, and deletes its log. */
    @Override
    public void close() throws IOException {
        process.destroyForcibly();
        Files.deleteIfExists(log);
    }
}
