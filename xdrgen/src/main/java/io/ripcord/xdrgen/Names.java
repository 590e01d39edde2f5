package io.ripcord.xdrgen;

import java.util.Locale;
import java.util.Set;

/**
 * How {@code .x} names become Java names: types {@code UpperCamelCase} ({@code kv_pair} is {@code KvPair},
 * {@code NFS_FH} is {@code NfsFh}), members and procedures {@code lowerCamelCase} ({@code ml_hostname} is
 * {@code mlHostname}), constants and enum members unchanged. A name that would be a Java keyword, or clash with
 * a class the generated code uses or with a method every object has, gets a trailing {@code _}.
 */
final class Names {

    static final Set<String> JAVA_KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte", "case",
            "catch", "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends",
            "final", "finally", "float", "for", "goto", "if", "implements", "import", "instanceof", "int",
            "interface", "long", "native", "new", "package", "private", "protected", "public", "return", "short",
            "static", "strictfp", "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try",
            "void", "volatile", "while", "true", "false", "null", "var", "yield", "record", "sealed", "permits",
            "non", "_");

    /** Methods of {@link Object} a record component or client method must not redeclare or overload badly. */
    private static final Set<String> OBJECT_METHODS = Set.of("equals", "hashCode", "toString", "getClass", "notify",
            "notifyAll", "wait", "clone", "finalize");

    /** Simple names the generated code uses unqualified: a generated class must not take one. */
    static final Set<String> USED_CLASSES = Set.of("Object", "String", "Integer", "Long", "Boolean", "Float",
            "Double", "Void", "Override", "SuppressWarnings", "Exception", "RuntimeException", "StringBuilder",
            "IllegalArgumentException", "Math", "Record", "Enum", "Class", "System", "Character", "Byte", "Short",
            "Number", "Iterable", "Comparable", "Deprecated", "FunctionalInterface", "List", "Map", "Objects",
            "Arrays", "Collections", "LinkedHashMap", "CompletableFuture", "CompletionException", "Callable",
            "XdrDecoder", "XdrEncoder",
            "XdrException", "XdrReader", "XdrWriter", "XdrStrict", "XdrText", "XdrTextReader", "XdrType",
            "XdrValues", "RpcActor", "RpcCall", "RpcProgram", "RpcCaller", "CallOptions", "RpcException",
            "AcceptStat", "Logger", "LoggerFactory", "Server", "AsyncServer", "Client");

    private Names() {
    }

    /** {@code kv_pair} to {@code KvPair}. */
    static String type(String xdr) {
        String camel = camel(xdr, true);
        return USED_CLASSES.contains(camel) ? camel + "_" : camel;
    }

    /** {@code ml_hostname} to {@code mlHostname}, never a keyword nor an {@link Object} method. */
    static String member(String xdr) {
        String camel = camel(xdr, false);
        return JAVA_KEYWORDS.contains(camel) || OBJECT_METHODS.contains(camel) ? camel + "_" : camel;
    }

    /** A constant or enum member: its {@code .x} name, unless that is a Java keyword. */
    static String constant(String xdr) {
        return JAVA_KEYWORDS.contains(xdr) ? xdr + "_" : xdr;
    }

    /** The registry field of a type: {@code kv_pair} to {@code KV_PAIR}. */
    static String registryField(String xdr) {
        return constant(xdr.toUpperCase(Locale.ROOT));
    }

    /** A file's base name for its classes: {@code nis_object.x} to {@code NisObject}. */
    static String fileBase(String fileName) {
        String base = fileName.endsWith(".x") ? fileName.substring(0, fileName.length() - 2) : fileName;
        StringBuilder sb = new StringBuilder();
        for (char c : base.toCharArray()) {
            sb.append(Character.isLetterOrDigit(c) ? c : '_');
        }
        String camel = camel(sb.toString(), true);
        return camel.isEmpty() || !Character.isJavaIdentifierStart(camel.charAt(0)) ? "X" + camel : camel;
    }

    private static String camel(String xdr, boolean upperFirst) {
        StringBuilder sb = new StringBuilder();
        for (String part : xdr.split("_")) {
            if (part.isEmpty()) {
                continue;
            }
            String p = part.equals(part.toUpperCase(Locale.ROOT)) ? part.toLowerCase(Locale.ROOT) : part;
            char first = upperFirst || sb.length() > 0 ? Character.toUpperCase(p.charAt(0))
                    : Character.toLowerCase(p.charAt(0));
            sb.append(first).append(p, 1, p.length());
        }
        return sb.length() == 0 ? (upperFirst ? "X" : "x") : sb.toString();
    }
}
