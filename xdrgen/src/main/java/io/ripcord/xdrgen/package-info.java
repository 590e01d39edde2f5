/**
 * xdrgen: the {@code .x} compiler (RFC 4506 section 6, RFC 5531 section 12.2, and the rpcgen dialect real files
 * use). {@link io.ripcord.xdrgen.XdrCompiler} turns {@code .x} files into Java sources
 * ({@link io.ripcord.xdrgen.GeneratedSource}) that need ripcord-rpcsvc and nothing else;
 * {@link io.ripcord.xdrgen.InProcessCompiler} compiles and loads them in memory for tools;
 * {@link io.ripcord.xdrgen.Main} is the command line. The module needs the JDK only.
 *
 * <p>Inside, a compilation flows through {@code Scanner} (the cpp subset and the lexer), {@code Parser}
 * ({@code Ast}), {@code Schema} (names resolved, constants evaluated, {@code Shape}s), {@code Mapping} (Java
 * names and types) and the emitters, one per kind of definition, which write with {@code Codecs}.
 *
 * <h2>Threads</h2>
 * <p>No state is shared between compilations: a compiler, its options and a generated source are immutable and
 * any thread may use them, concurrently. Everything inside one compilation (scanner, parser, schema, emitters)
 * belongs to the thread that runs it. Nothing here blocks but on the files it reads and writes.
 */
package io.ripcord.xdrgen;
