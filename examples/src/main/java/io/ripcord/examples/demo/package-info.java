/**
 * The {@code demo} command: every example server started embedded on loopback and driven by Ripcord's own
 * clients. It runs on the caller's thread and blocks on the clients' futures, never on a poller.
 */
package io.ripcord.examples.demo;
