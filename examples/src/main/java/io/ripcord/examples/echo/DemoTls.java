package io.ripcord.examples.echo;

import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for the examples from a self-signed certificate for {@code localhost} / {@code 127.0.0.1} shipped in the
 * jar ({@code demo-selfsigned.p12}, made with {@code keytool -genkeypair -keyalg EC}). For demonstrations
 * only: its private key is public.
 */
final class DemoTls {

    private static final String RESOURCE = "demo-selfsigned.p12";
    private static final char[] PASSWORD = "ripcord-demo".toCharArray();

    private DemoTls() {
    }

    /** A context that presents the demo certificate and trusts only it. */
    static SSLContext context() {
        try (InputStream in = DemoTls.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PASSWORD);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, PASSWORD);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the demo TLS key " + RESOURCE + ": " + e.getMessage(), e);
        }
    }
}
