package io.ripcord.examples.xdr;

import io.ripcord.core.EventPool;
import io.ripcord.rpc.xdr.XdrDecoder;
import io.ripcord.rpc.xdr.XdrType;
import io.ripcord.transport.Transport;
import io.ripcord.xdrgen.GeneratedSource;
import io.ripcord.xdrgen.InProcessCompiler;
import io.ripcord.xdrgen.XdrCompileException;
import io.ripcord.xdrgen.XdrCompiler;
import io.ripcord.xdrgen.XdrCompilerOptions;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * The types of a {@code .x} file, from the very code the Maven plugin would generate: compiled by xdrgen, then by
 * the JDK's compiler in memory, loaded, and read from the generated registries (every file the {@code .x}
 * includes has its own).
 */
final class CompiledTypes {

    private static final String PACKAGE = "xdrcommand";

    private CompiledTypes() {
    }

    /**
     * Every type of {@code file} and the files it includes, by {@code .x} name.
     *
     * @throws XdrCompileException   when the {@code .x} does not compile
     * @throws IllegalStateException when there is no Java compiler (a JRE) or the generated Java does not compile
     */
    @SuppressWarnings("unchecked")
    static Map<String, XdrType<?>> of(Path file, XdrCompilerOptions.Builder options) throws XdrCompileException {
        List<GeneratedSource> sources = XdrCompiler.create(options.packageName(PACKAGE).build()).compile(List.of(file));
        ClassLoader loader = InProcessCompiler.compile(sources, InProcessCompiler.locationsOf(XdrDecoder.class,
                Transport.class, EventPool.class, LoggerFactory.class), CompiledTypes.class.getClassLoader()).loader();
        Map<String, XdrType<?>> types = new LinkedHashMap<>();
        for (GeneratedSource s : sources) {
            if (s.className().endsWith("Registry")) {
                try {
                    types.putAll((Map<String, XdrType<?>>) loader.loadClass(s.qualifiedName()).getMethod("types")
                            .invoke(null));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read the generated registry " + s.qualifiedName(), e);
                }
            }
        }
        return Collections.unmodifiableMap(types);
    }
}
