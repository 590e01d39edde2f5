/**
 * The project's own test plumbing (not a published library): {@link io.ripcord.testsupport.External} guards
 * tests that need programs or services outside the JVM, and {@link io.ripcord.testsupport.SkipReporter} prints
 * why a test did not run. Both are called from test threads only; the reporter is thread-safe because JUnit
 * may report from several.
 */
package io.ripcord.testsupport;
