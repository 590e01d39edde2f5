/**
 * ripcord-maven-plugin: {@code ripcord:generate} ({@link io.ripcord.xdrgen.maven.GenerateMojo}) compiles
 * {@code src/main/xdr/*.x} with xdrgen into {@code target/generated-sources/xdr}, in the generate-sources phase.
 *
 * <h2>Threads</h2>
 * <p>Maven runs a mojo on one thread; the mojo is thread-safe in Maven's sense (parallel builds may run it for
 * several modules at once): executions share nothing but the files they write, each under its own package.
 */
package io.ripcord.xdrgen.maven;
