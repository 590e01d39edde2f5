/**
 * {@code xdr}: the wire-debugging command. It compiles a {@code .x} file in-process (xdrgen, then the JDK's
 * compiler) to the same Java the Maven plugin generates and decodes, encodes or round-trips bytes with it
 * through the generated registry.
 *
 * <p>Thread rules: each command runs on the thread that runs the command line; nothing here is shared.
 */
package io.ripcord.examples.xdr;
