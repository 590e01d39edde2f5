package io.ripcord.rpc.reliability;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The class path for a test's child JVM (an attacker, a client in another network namespace): this test JVM
 * runs the module under test from the module path with the test classes patched into it, so its own class path
 * alone would miss both.
 */
final class ChildJvm {

    private ChildJvm() {
    }

    /** The test classes, the module path and the class path of this JVM, as one class path. */
    static String classPath() {
        List<String> parts = new ArrayList<>();
        try {
            parts.add(Path.of(ChildJvm.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the test classes", e);
        }
        for (String property : new String[] {"jdk.module.path", "java.class.path"}) {
            String value = System.getProperty(property);
            if (value != null && !value.isEmpty()) {
                parts.add(value);
            }
        }
        return String.join(File.pathSeparator, parts);
    }

    /** {@code java} of the JDK this test runs on. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
