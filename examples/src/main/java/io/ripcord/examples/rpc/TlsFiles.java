package io.ripcord.examples.rpc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS contexts for the {@code rpc} commands from files: a key store (PKCS#12, or JKS) with this side's key and
 * certificate chain, and trusted certificates (PEM, or a key store) to verify the other side with.
 */
final class TlsFiles {

    private TlsFiles() {
    }

    /**
     * @param keyStore   this side's key and chain, or {@code null} for none (a client without a certificate)
     * @param password   the key store's password (and its key's)
     * @param trusted    the certificates that verify the peer (PEM or a key store), or {@code null} for the JDK's
     *                   default authorities
     * @throws IOException naming the file that could not be read, and why
     */
    static SSLContext context(Path keyStore, char[] password, Path trusted) throws IOException {
        try {
            KeyManagerFactory kmf = null;
            if (keyStore != null) {
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(load(keyStore, password), password);
            }
            TrustManagerFactory tmf = null;
            if (trusted != null) {
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trustStore(trusted, password));
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use " + (keyStore != null ? keyStore : trusted) + " for TLS: "
                    + e.getMessage(), e);
        }
    }

    private static KeyStore load(Path file, char[] password) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12"); // reads JKS too (keystore.type.compat)
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, password);
        } catch (IOException e) {
            throw new IOException("cannot read the key store " + file + ": " + e.getMessage(), e);
        }
        return ks;
    }

    /** PEM certificates ({@code -----BEGIN CERTIFICATE-----}), or a key store whose certificates are trusted. */
    private static KeyStore trustStore(Path file, char[] password) throws IOException, GeneralSecurityException {
        byte[] bytes = Files.readAllBytes(file);
        if (!new String(bytes, 0, Math.min(bytes.length, 64), StandardCharsets.US_ASCII).contains("-----BEGIN")) {
            return load(file, password);
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        int i = 0;
        try (InputStream in = Files.newInputStream(file)) {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("trusted-" + i++, c);
            }
        }
        if (i == 0) {
            throw new IOException(file + " holds no PEM certificate");
        }
        return trust;
    }
}
