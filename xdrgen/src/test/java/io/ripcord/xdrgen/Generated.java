package io.ripcord.xdrgen;

import io.ripcord.core.EventPool;
import io.ripcord.rpc.xdr.XdrDecoder;
import io.ripcord.rpc.xdr.XdrType;
import io.ripcord.transport.Transport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/** {@code .x} files compiled to Java, compiled by javac in memory and loaded: the code a user gets, for tests. */
final class Generated {

    final String packageName;
    final List<GeneratedSource> sources;
    final InProcessCompiler.Compiled compiled;
    final Schema schema;

    private Generated(String packageName, List<GeneratedSource> sources, InProcessCompiler.Compiled compiled,
                      Schema schema) {
        this.packageName = packageName;
        this.sources = sources;
        this.compiled = compiled;
        this.schema = schema;
    }

    /** The class path generated code compiles against: rpcsvc, what its signatures mention, slf4j-api. */
    static List<Path> classpath() {
        return InProcessCompiler.locationsOf(XdrDecoder.class, Transport.class, EventPool.class, LoggerFactory.class);
    }

    static Generated compile(XdrCompilerOptions options, Path... files) {
        try {
            XdrCompiler compiler = XdrCompiler.create(options);
            List<GeneratedSource> sources = compiler.compile(List.of(files));
            Schema schema = compiler.schema(List.of(files), new ArrayList<>());
            InProcessCompiler.Compiled compiled = InProcessCompiler.compile(sources, classpath(),
                    Generated.class.getClassLoader());
            return new Generated(options.packageName(), sources, compiled, schema);
        } catch (XdrCompileException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    static Generated compile(String packageName, Path... files) {
        return compile(XdrCompilerOptions.builder().packageName(packageName).build(), files);
    }

    Class<?> type(String simpleName) {
        try {
            return compiled.loader().loadClass(packageName + "." + simpleName);
        } catch (ClassNotFoundException e) {
            throw new AssertionError("no generated class " + simpleName, e);
        }
    }

    boolean hasClass(String simpleName) {
        return sources.stream().anyMatch(s -> s.className().equals(simpleName));
    }

    String source(String simpleName) {
        return sources.stream().filter(s -> s.className().equals(simpleName)).findFirst()
                .orElseThrow(() -> new AssertionError("no source " + simpleName)).content();
    }

    /** Every registry's types, merged, by {@code .x} name. */
    @SuppressWarnings("unchecked")
    Map<String, XdrType<?>> types() {
        Map<String, XdrType<?>> all = new LinkedHashMap<>();
        for (GeneratedSource s : sources) {
            if (s.className().endsWith("Registry")) {
                try {
                    all.putAll((Map<String, XdrType<?>>) type(s.className()).getMethod("types").invoke(null));
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return all;
    }

    /** What a registry type's values look like, from the schema. */
    Shape shapeOf(String xdrName) {
        Ast.Definition d = schema.type(xdrName);
        try {
            return d instanceof Ast.Typedef t ? schema.shape(t.declaration()) : new Shape.Defined(d);
        } catch (XdrCompileException e) {
            throw new AssertionError(e);
        }
    }
}
