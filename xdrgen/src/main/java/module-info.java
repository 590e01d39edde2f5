/**
 * Ripcord's {@code .x} compiler (RFC 4506 section 6, RFC 5531 section 12): Java records, enums, sealed unions,
 * codecs, server skeletons and typed clients. The code it writes needs {@code io.ripcord.rpc}; the compiler
 * itself needs the JDK only ({@code java.compiler} to compile what it wrote, in process).
 */
module io.ripcord.xdrgen {
    requires java.compiler;

    exports io.ripcord.xdrgen;
}
