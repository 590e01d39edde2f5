package io.ripcord.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints why tests did not run on the console, not only in the surefire XML: each skipped or aborted test or
 * class as it happens, and the list again when the module's tests end. Registered through
 * {@code META-INF/services}, so every module that has this jar on its test class path reports.
 *
 * <p>With the system property {@code ripcord.testReport} set to a file, it also appends one line per finished
 * or skipped test or class, {@code STATUS<tab>tags<tab>id<tab>reason}: {@code .ci/run}'s guard check reads it.
 */
public final class SkipReporter implements TestExecutionListener {

    private final List<String> skipped = new ArrayList<>();
    private TestPlan plan;

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        plan = testPlan;
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
        note(id, "SKIPPED", reason);
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            note(id, "SKIPPED", result.getThrowable().map(Throwable::getMessage).orElse("aborted"));
        } else if (id.isTest() || result.getStatus() == TestExecutionResult.Status.FAILED) {
            record(id, result.getStatus().name(), "");
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        synchronized (skipped) {
            if (!skipped.isEmpty()) {
                StringBuilder b = new StringBuilder("[SKIPPED] ").append(skipped.size())
                        .append(skipped.size() == 1 ? " test or class" : " tests or classes")
                        .append(" did not run:\n");
                skipped.forEach(s -> b.append("[SKIPPED]   ").append(s).append('\n'));
                System.out.print(b);
                System.out.flush();
                skipped.clear();
            }
        }
    }

    private void note(TestIdentifier id, String status, String reason) {
        String line = name(id) + ": " + reason;
        synchronized (skipped) {
            skipped.add(line);
        }
        System.out.println("[SKIPPED] " + line);
        record(id, status, reason);
    }

    /** {@code Class.method} (or the class alone), readable on a console. */
    private String name(TestIdentifier id) {
        String display = id.getDisplayName();
        if (plan != null && id.isTest()) {
            String parent = plan.getParent(id).map(TestIdentifier::getDisplayName).orElse("");
            return parent + "." + display;
        }
        return display;
    }

    private void record(TestIdentifier id, String status, String reason) {
        String file = System.getProperty("ripcord.testReport");
        if (file == null || file.isEmpty()) {
            return;
        }
        // A dynamic test carries no tags of its own: its factory's and class's count.
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (TestIdentifier i = id; i != null; i = plan == null ? null : plan.getParent(i).orElse(null)) {
            i.getTags().forEach(t -> names.add(t.getName()));
        }
        String tags = String.join(",", names);
        String line = status + "\t" + (tags.isEmpty() ? "-" : tags) + "\t" + id.getUniqueId() + "\t"
                + String.valueOf(reason).replace('\n', ' ') + "\n";
        synchronized (SkipReporter.class) {
            try {
                Files.writeString(Path.of(file), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot append to ripcord.testReport " + file, e);
            }
        }
    }
}
