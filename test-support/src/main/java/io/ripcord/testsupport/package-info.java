/**
 * The project's own test plumbing (not a published library): {@link io.ripcord.testsupport.External} guards
 * tests that need programs or services outside the JVM, {@link io.ripcord.testsupport.SkipReporter} prints
 * why a test did not run, and {@link io.ripcord.testsupport.MitKdc} runs a throw-away Kerberos realm (for the
 * RPCSEC_GSS tests and the benchmarks' {@code rpc-gss} section, which is why it uses nothing of JUnit);
 * {@link io.ripcord.testsupport.Futures#failure} waits for a future a test expects to fail. All are
 * called from test threads only; the reporter is thread-safe because JUnit may report from several.
 */
package io.ripcord.testsupport;
