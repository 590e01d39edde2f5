package io.ripcord.xdrgen;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles generated sources with the JDK's compiler ({@code javax.tools}) in memory and loads the classes:
 * how a tool runs the very code a user of the Maven plugin gets, without files or a build. Needs a JDK (not a
 * bare JRE) at run time.
 *
 * <p>Stateless; any thread.
 */
public final class InProcessCompiler {

    private InProcessCompiler() {
    }

    /**
     * The classes compiled, and the compiler's warnings about them.
     *
     * @param loader   loads the generated classes (its parent loads everything else)
     * @param warnings javac's warnings, one message each (empty for clean code)
     */
    public record Compiled(ClassLoader loader, List<String> warnings) {
    }

    /**
     * Compiles and loads.
     *
     * @param sources   the generated sources
     * @param classpath where the classes they use are (ripcord-rpcsvc and what it needs, slf4j-api)
     * @param parent    the parent of the new class loader: it must load the same ripcord-rpcsvc classes as the
     *                  caller uses to reach the generated ones
     * @return the loader and the warnings
     * @throws IllegalStateException when there is no Java compiler, or the sources do not compile (the message
     *                               lists javac's errors)
     */
    public static Compiled compile(List<GeneratedSource> sources, List<Path> classpath, ClassLoader parent) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no Java compiler in this runtime: run on a JDK, not a JRE");
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Map<String, ByteArrayOutputStream> classes = new ConcurrentHashMap<>();
        StandardJavaFileManager standard = javac.getStandardFileManager(diagnostics, null, null);
        JavaFileManager files = new ForwardingJavaFileManager<>(standard) {
            @Override
            public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                                                       FileObject sibling) {
                return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + kind.extension),
                        kind) {
                    @Override
                    public OutputStream openOutputStream() {
                        ByteArrayOutputStream out = new ByteArrayOutputStream();
                        classes.put(className, out);
                        return out;
                    }
                };
            }
        };
        List<JavaFileObject> units = new ArrayList<>();
        for (GeneratedSource s : sources) {
            units.add(new SimpleJavaFileObject(URI.create("mem:///" + s.relativePath().toString().replace(File.separatorChar, '/')),
                    JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return s.content();
                }
            });
        }
        List<String> options = new ArrayList<>(List.of("-proc:none", "-Xlint:all,-serial,-processing",
                "--release", "17"));
        StringBuilder cp = new StringBuilder();
        for (Path p : classpath) {
            cp.append(cp.length() == 0 ? "" : File.pathSeparator).append(p);
        }
        options.add("-classpath");
        options.add(cp.toString());
        boolean ok = javac.getTask(null, files, diagnostics, options, null, units).call();
        List<String> warnings = new ArrayList<>();
        StringBuilder errors = new StringBuilder();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            String where = d.getSource() == null ? "" : d.getSource().getName() + ":" + d.getLineNumber() + ": ";
            String text = where + d.getMessage(null);
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                errors.append('\n').append(text);
            } else if (d.getKind() == Diagnostic.Kind.WARNING || d.getKind() == Diagnostic.Kind.MANDATORY_WARNING) {
                warnings.add(text);
            }
        }
        if (!ok) {
            throw new IllegalStateException("the generated Java does not compile:" + errors);
        }
        return new Compiled(new MemoryClassLoader(classes, parent), List.copyOf(warnings));
    }

    /**
     * Where the given classes were loaded from (their jar or classes directory): the class path for
     * {@link #compile}, from classes the caller already has.
     *
     * @param classes one class from each library needed
     * @return their locations, without duplicates
     * @throws IllegalArgumentException when a class has no location on disk
     */
    public static List<Path> locationsOf(Class<?>... classes) {
        Set<Path> out = new LinkedHashSet<>();
        for (Class<?> c : classes) {
            CodeSource source = c.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null) {
                throw new IllegalArgumentException(c + " was not loaded from a jar or a directory");
            }
            try {
                out.add(Path.of(source.getLocation().toURI()));
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(c + " has an unusable location " + source.getLocation(), e);
            }
        }
        return List.copyOf(out);
    }

    /** Loads the compiled classes from memory, everything else through its parent. */
    private static final class MemoryClassLoader extends ClassLoader {
        private final Map<String, ByteArrayOutputStream> classes;

        MemoryClassLoader(Map<String, ByteArrayOutputStream> classes, ClassLoader parent) {
            super(parent);
            this.classes = classes;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            ByteArrayOutputStream bytes = classes.get(name);
            if (bytes == null) {
                throw new ClassNotFoundException(name);
            }
            byte[] b = bytes.toByteArray();
            return defineClass(name, b, 0, b.length);
        }
    }
}
