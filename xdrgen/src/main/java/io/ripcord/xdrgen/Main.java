package io.ripcord.xdrgen;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line: {@code java -jar ripcord-xdrgen.jar [options] FILE.x...} writes the Java sources of the
 * files, compiled together, under a source root and prints each file's path.
 *
 * <pre>
 *   -p, --package NAME   the Java package (default xdr)
 *   -o, --output DIR     the source root (default .)
 *   -D NAME[=VALUE]      a preprocessor symbol, such as RPC_HDR (repeatable)
 *   -I DIR               an #include directory (repeatable)
 * </pre>
 *
 * Exit code 0 when written, 1 for an error in a {@code .x} file (file:line:column on stderr), 2 for a usage
 * error.
 */
public final class Main {

    private static final String USAGE = """
            usage: java -jar ripcord-xdrgen.jar [options] FILE.x...
              -p, --package NAME   Java package of the generated classes (default: xdr)
              -o, --output DIR     source root to write them under (default: .)
              -D NAME[=VALUE]      preprocessor symbol, e.g. RPC_HDR (repeatable)
              -I DIR               directory #include searches (repeatable)
              -h, --help           this text
            The files are compiled together into one package; each generated file's path is printed.""";

    private Main() {
    }

    /**
     * Compiles the {@code .x} files named in {@code args} and exits 0, or prints what is wrong and exits 1 (a
     * file that does not compile) or 2 (a usage error).
     *
     * @param args the command line, as {@code --help} prints it
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the command line.
     *
     * @param args the arguments
     * @param out  where the written files are listed
     * @param err  where errors and usage go
     * @return the exit code
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        XdrCompilerOptions.Builder options = XdrCompilerOptions.builder();
        Path output = Path.of(".");
        List<Path> files = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "-h", "--help" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    case "-p", "--package" -> options.packageName(value(args, ++i, a));
                    case "-o", "--output" -> output = Path.of(value(args, ++i, a));
                    case "-D" -> options.defineFromText(value(args, ++i, a));
                    case "-I" -> options.includeDirectory(Path.of(value(args, ++i, a)));
                    default -> {
                        if (a.startsWith("-D") && a.length() > 2) {
                            options.defineFromText(a.substring(2));
                        } else if (a.startsWith("-I") && a.length() > 2) {
                            options.includeDirectory(Path.of(a.substring(2)));
                        } else if (a.startsWith("-")) {
                            throw new IllegalArgumentException("unknown option " + a);
                        } else {
                            files.add(Path.of(a));
                        }
                    }
                }
            }
            if (files.isEmpty()) {
                throw new IllegalArgumentException("no .x file given");
            }
        } catch (IllegalArgumentException e) {
            err.println("xdrgen: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        try {
            for (GeneratedSource s : XdrCompiler.create(options.build()).compileTo(output, files)) {
                out.println(output.resolve(s.relativePath()));
            }
            return 0;
        } catch (XdrCompileException e) {
            err.println(e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("xdrgen: cannot write under " + output + ": " + e.getMessage());
            return 1;
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
