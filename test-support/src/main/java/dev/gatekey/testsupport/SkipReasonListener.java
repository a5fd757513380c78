package dev.gatekey.testsupport;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Says on the Maven console why tests were skipped: at the end of a test run, one line per reason,
 * {@code Skipped 77: GATEKEY_TEST_JDBC_URL is not set: PostgreSQL tests skipped}, reasons in the order they
 * first occurred.
 *
 * <p>Both ways a test is skipped count: a disabled test or container (the reason JUnit gives) and a failed
 * assumption (the assumption's message, without JUnit's {@code "Assumption failed: "}). A skipped or aborted
 * container counts the tests it holds, as Surefire's "Skipped:" does.
 *
 * <p>Registered through {@code META-INF/services}, so a module only needs this artifact on its test class
 * path. The lines go to the test JVM's native standard error: Surefire redirects {@code System.out} and
 * {@code System.err} of tests to report files ({@code redirectTestOutputToFile}) and uses the native standard
 * output as its channel, while the native standard error reaches the Maven console unchanged.
 */
public final class SkipReasonListener implements TestExecutionListener {

    static final String ASSUMPTION_PREFIX = "Assumption failed: ";
    static final String NO_REASON = "no reason given";

    private final Consumer<String> console;
    private final Map<String, Integer> skippedByReason = new LinkedHashMap<>();
    private TestPlan testPlan;

    /** The listener the JUnit Platform loads: writes to the native standard error. */
    public SkipReasonListener() {
        this(nativeStandardError()::println);
    }

    SkipReasonListener(Consumer<String> console) {
        this.console = console;
    }

    @Override
    public synchronized void testPlanExecutionStarted(TestPlan plan) {
        testPlan = plan;
        skippedByReason.clear();
    }

    @Override
    public synchronized void executionSkipped(TestIdentifier identifier, String reason) {
        count(identifier, reason);
    }

    @Override
    public synchronized void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            count(identifier, result.getThrowable().map(Throwable::getMessage).orElse(null));
        }
    }

    @Override
    public synchronized void testPlanExecutionFinished(TestPlan plan) {
        skippedByReason.forEach((reason, tests) -> console.accept("Skipped " + tests + ": " + reason));
        skippedByReason.clear();
    }

    private void count(TestIdentifier identifier, String reason) {
        skippedByReason.merge(describe(reason), testsIn(identifier), Integer::sum);
    }

    private int testsIn(TestIdentifier identifier) {
        if (identifier.isTest() || testPlan == null) {
            return 1;
        }
        long tests = testPlan.getDescendants(identifier).stream().filter(TestIdentifier::isTest).count();
        // a container whose tests are only known when it runs (dynamic tests) still skipped something
        return (int) Math.max(1, tests);
    }

    static String describe(String reason) {
        if (reason == null || reason.isBlank()) {
            return NO_REASON;
        }
        String text = reason.startsWith(ASSUMPTION_PREFIX) ? reason.substring(ASSUMPTION_PREFIX.length()) : reason;
        return text.isBlank() ? NO_REASON : text.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    @SuppressWarnings("resource") // the process's standard error stays open until the JVM exits
    private static PrintStream nativeStandardError() {
        return new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    }
}
