package io.ripcord.xdrgen;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How a compilation runs: the Java package the classes go to, the preprocessor symbols defined before the
 * first line (rpcgen's {@code RPC_HDR}, {@code RPC_XDR}, {@code RPC_SVC}, {@code RPC_CLNT} or your own; none by
 * default) and where {@code #include} looks besides the including file's directory. Immutable; make one with
 * {@link #builder()}.
 */
public final class XdrCompilerOptions {

    private static final Pattern PACKAGE = Pattern.compile("([A-Za-z_$][A-Za-z0-9_$]*)(\\.[A-Za-z_$][A-Za-z0-9_$]*)*");
    private static final Pattern SYMBOL = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final String packageName;
    private final Map<String, String> defines;
    private final List<Path> includeDirectories;

    private XdrCompilerOptions(Builder b) {
        this.packageName = b.packageName;
        this.defines = Map.copyOf(b.defines);
        this.includeDirectories = List.copyOf(b.includeDirectories);
    }

    /** {@return a builder: package {@code xdr}, no symbols, no include directories} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the Java package of the generated classes} */
    public String packageName() {
        return packageName;
    }

    /** {@return the preprocessor symbols and their values} */
    public Map<String, String> defines() {
        return defines;
    }

    /** {@return where {@code #include} looks after the including file's directory} */
    public List<Path> includeDirectories() {
        return includeDirectories;
    }

    @Override
    public String toString() {
        return "XdrCompilerOptions[package=" + packageName + ", defines=" + defines + ", include="
                + includeDirectories + "]";
    }

    /** A builder of {@link XdrCompilerOptions}; not thread-safe. */
    public static final class Builder {
        private String packageName = "xdr";
        private final Map<String, String> defines = new LinkedHashMap<>();
        private final List<Path> includeDirectories = new ArrayList<>();

        private Builder() {
        }

        /**
         * The Java package of the generated classes.
         *
         * @param packageName a dotted Java package name, such as {@code com.example.nfs}
         * @return this builder
         * @throws IllegalArgumentException when it is not a package name
         */
        public Builder packageName(String packageName) {
            Objects.requireNonNull(packageName, "packageName");
            if (!PACKAGE.matcher(packageName).matches()) {
                throw new IllegalArgumentException("not a Java package name: '" + packageName + "'");
            }
            for (String part : packageName.split("\\.")) {
                if (Names.JAVA_KEYWORDS.contains(part)) {
                    throw new IllegalArgumentException("package name '" + packageName + "' holds the keyword '"
                            + part + "'");
                }
            }
            this.packageName = packageName;
            return this;
        }

        /**
         * Defines a preprocessor symbol with the value 1, as {@code cpp -DNAME} does.
         *
         * @param name the symbol, such as {@code RPC_HDR}
         * @return this builder
         */
        public Builder define(String name) {
            return define(name, "1");
        }

        /**
         * Defines a preprocessor symbol, as {@code cpp -DNAME=VALUE} does.
         *
         * @param name  the symbol
         * @param value its replacement text
         * @return this builder
         * @throws IllegalArgumentException when the name is not an identifier
         */
        public Builder define(String name, String value) {
            Objects.requireNonNull(value, "value");
            if (name == null || !SYMBOL.matcher(name).matches()) {
                throw new IllegalArgumentException("not a preprocessor symbol: '" + name + "'");
            }
            defines.put(name, value);
            return this;
        }

        /**
         * Defines a symbol given as {@code NAME} or {@code NAME=VALUE}, as on a command line.
         *
         * @param definition the definition
         * @return this builder
         */
        public Builder defineFromText(String definition) {
            int eq = definition.indexOf('=');
            return eq < 0 ? define(definition) : define(definition.substring(0, eq), definition.substring(eq + 1));
        }

        /**
         * Adds a directory {@code #include} searches, after the including file's own.
         *
         * @param directory the directory
         * @return this builder
         */
        public Builder includeDirectory(Path directory) {
            includeDirectories.add(Objects.requireNonNull(directory, "directory"));
            return this;
        }

        /** {@return the options} */
        public XdrCompilerOptions build() {
            return new XdrCompilerOptions(this);
        }
    }
}
