package io.ripcord.transport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS contexts for tests: one self-signed certificate for localhost / 127.0.0.1, made once per test JVM by the
 * JDK's own keytool. The server presents it and trusts it; the client trusts it and, for mutual TLS, presents it
 * too.
 */
final class TlsContexts {

    private static final char[] PASSWORD = "ripcord-test".toCharArray();
    private static TlsContexts made;

    final SSLContext server;
    final SSLContext client;
    /** A client that presents the certificate as its own (for client authentication). */
    final SSLContext mutualClient;

    private TlsContexts(SSLContext server, SSLContext client, SSLContext mutualClient) {
        this.server = server;
        this.client = client;
        this.mutualClient = mutualClient;
    }

    /** {@link #get()} for lambdas that may not throw checked exceptions. */
    static TlsContexts get0() {
        try {
            return get();
        } catch (Exception e) {
            throw new IllegalStateException("no test certificate", e);
        }
    }

    static synchronized TlsContexts get() throws Exception {
        if (made == null) {
            made = make();
        }
        return made;
    }

    private static TlsContexts make() throws IOException, InterruptedException, GeneralSecurityException {
        Path dir = Files.createTempDirectory("ripcord-tls");
        Path store = dir.resolve("server.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "ripcord", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool failed: " + output);
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD);
        }
        Files.delete(store);
        Files.delete(dir);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD);
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("ripcord", keys.getCertificate("ripcord"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);

        SSLContext server = SSLContext.getInstance("TLS");
        server.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);
        SSLContext mutual = SSLContext.getInstance("TLS");
        mutual.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return new TlsContexts(server, client, mutual);
    }
}
