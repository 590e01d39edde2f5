package io.ripcord.xdrgen;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Compiles {@code .x} files (RFC 4506 section 6, RFC 5531 section 12) into Java sources that depend on
 * ripcord-rpcsvc only. Files compiled together share one package and one namespace: a type one file defines
 * another may use, and a definition reached twice (a file included by two others) is generated once.
 *
 * <pre>{@code
 * List<GeneratedSource> sources = XdrCompiler.create(XdrCompilerOptions.builder()
 *         .packageName("com.example.kv").build()).compile(List.of(Path.of("kv.x")));
 * }</pre>
 *
 * <p>What each construct becomes is in the module's README. A compiler holds only its options: any thread may
 * use it, and concurrent compilations do not meet.
 */
public final class XdrCompiler {

    private final XdrCompilerOptions options;

    private XdrCompiler(XdrCompilerOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * A compiler.
     *
     * @param options the package, preprocessor symbols and include directories
     * @return the compiler
     */
    public static XdrCompiler create(XdrCompilerOptions options) {
        return new XdrCompiler(options);
    }

    /** {@return the options} */
    public XdrCompilerOptions options() {
        return options;
    }

    /**
     * Compiles files together.
     *
     * @param files the {@code .x} files
     * @return the Java sources, one per class
     * @throws XdrCompileException naming the file, line and column of the first error
     */
    public List<GeneratedSource> compile(List<Path> files) throws XdrCompileException {
        List<Scanner> scanners = new ArrayList<>();
        Schema schema = schema(files, scanners);
        Mapping mapping = new Mapping(schema, options.packageName(), where -> {
            for (Scanner s : scanners) {
                String c = s.commentAt(where);
                if (c != null) {
                    return c;
                }
            }
            return null;
        });
        return generate(schema, mapping);
    }

    /** Reads, preprocesses, parses and checks the files; each file's scanner (with its comments) goes to {@code scanners}. */
    Schema schema(List<Path> files, List<Scanner> scanners) throws XdrCompileException {
        List<Ast.Definition> definitions = new ArrayList<>();
        for (Path file : files) {
            Scanner scanner = new Scanner(options.defines(), options.includeDirectories());
            definitions.addAll(new Parser(scanner.scan(file)).parse());
            for (Scanner.PassThroughDefine define : scanner.passThroughDefines()) {
                Ast.Const c = Parser.passThrough(define);
                if (c != null) {
                    definitions.add(c);
                }
            }
            scanners.add(scanner);
        }
        return new Schema(definitions);
    }

    private List<GeneratedSource> generate(Schema schema, Mapping mapping) throws XdrCompileException {
        List<GeneratedSource> out = new ArrayList<>();
        Set<String> classNames = new HashSet<>();
        for (Ast.Definition d : schema.definitions()) {
            if (mapping.className(d) != null) {
                classNames.add(mapping.className(d));
            }
        }
        for (Ast.Definition d : schema.definitions()) {
            String body;
            if (d instanceof Ast.Struct s) {
                body = new StructEmitter(mapping, s).emit();
            } else if (d instanceof Ast.Union u) {
                body = new UnionEmitter(mapping, u, classNames).emit();
            } else if (d instanceof Ast.Enum e) {
                body = new EnumEmitter(mapping, e).emit();
            } else if (d instanceof Ast.Program p) {
                for (Ast.Version v : p.versions()) {
                    out.add(source(mapping, mapping.className(v), d, new ProgramEmitter(mapping, p, v).emit()));
                }
                continue;
            } else {
                continue;
            }
            out.add(source(mapping, mapping.className(d), d, body));
        }
        for (String file : mapping.files()) {
            FileClassesEmitter f = new FileClassesEmitter(mapping, file);
            out.add(new GeneratedSource(mapping.packageName, Mapping.constantsClass(file), file,
                    SourceFile.of(mapping.packageName, file, f.constants())));
            out.add(new GeneratedSource(mapping.packageName, Mapping.registryClass(file), file,
                    SourceFile.of(mapping.packageName, file, f.registry())));
        }
        return out;
    }

    private static GeneratedSource source(Mapping mapping, String cls, Ast.Definition d, String body) {
        String file = d.where().fileName();
        return new GeneratedSource(mapping.packageName, cls, file, SourceFile.of(mapping.packageName, file, body));
    }

    /**
     * Compiles files together and writes the sources under a source root (a file whose content is already
     * there is left untouched).
     *
     * @param sourceRoot where the package directories go
     * @param files      the {@code .x} files
     * @return the generated sources
     * @throws XdrCompileException naming the file, line and column of the first error
     * @throws java.io.IOException when a file cannot be written
     */
    public List<GeneratedSource> compileTo(Path sourceRoot, List<Path> files)
            throws XdrCompileException, java.io.IOException {
        List<GeneratedSource> sources = compile(files);
        for (GeneratedSource s : sources) {
            s.writeTo(sourceRoot);
        }
        return sources;
    }
}
