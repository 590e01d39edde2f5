package io.ripcord.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A small public-key infrastructure for TLS tests, made once per test JVM with the JDK's own {@code keytool} (no
 * outside program): a certificate authority, a server certificate for {@code localhost} / {@code 127.0.0.1} and a
 * client certificate for {@code alice} (e-mail {@code alice@example.com}), both signed by the authority, and a
 * self-signed client certificate for {@code mallory} that nothing trusts. EC P-256 keys, valid for two days.
 *
 * <p>The same material is written as PEM files ({@link #pem}) for peers that are not the JDK (Python's {@code ssl},
 * OpenSSL): {@code ca.pem}, and for each identity {@code NAME.pem} (its chain, its own certificate first) and
 * {@code NAME.key} (its PKCS#8 private key, unencrypted: test keys only).
 *
 * <p>Thread-safe: {@link #get()} makes it once; everything it hands out is immutable or new per call.
 */
public final class TestPki {

    /** The server's identity: {@code CN=localhost}, SAN {@code dns:localhost, ip:127.0.0.1}. */
    public static final String SERVER = "server";
    /** A client the authority signed: {@code CN=alice}, SAN {@code email:alice@example.com}. */
    public static final String ALICE = "alice";
    /** A self-signed client no trust store holds: {@code CN=mallory}. */
    public static final String MALLORY = "mallory";

    private static final char[] PASSWORD = "ripcord-test".toCharArray();
    private static TestPki made;

    private final X509Certificate ca;
    private final Map<String, KeyStore.PrivateKeyEntry> identities;
    private final Path dir;

    private TestPki(X509Certificate ca, Map<String, KeyStore.PrivateKeyEntry> identities, Path dir) {
        this.ca = ca;
        this.identities = identities;
        this.dir = dir;
    }

    /** The test JVM's PKI, made on first use (a few seconds: keytool runs eight times, in three rounds). */
    public static synchronized TestPki get() {
        if (made == null) {
            try {
                made = make();
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException("cannot make the test PKI with keytool: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while making the test PKI", e);
            }
        }
        return made;
    }

    /** The authority's certificate. */
    public X509Certificate authority() {
        return ca;
    }

    /** {@code name}'s chain, its own certificate first ({@link #SERVER}, {@link #ALICE}, {@link #MALLORY}). */
    public List<X509Certificate> chain(String name) {
        List<X509Certificate> chain = new ArrayList<>();
        for (Certificate c : entry(name).getCertificateChain()) {
            chain.add((X509Certificate) c);
        }
        return List.copyOf(chain);
    }

    /** A context that presents the server certificate and trusts the authority (to verify client certificates). */
    public SSLContext serverContext() {
        return context(SERVER);
    }

    /** A context that trusts the authority and presents no certificate. */
    public SSLContext clientContext() {
        return context(null);
    }

    /**
     * A context that trusts the authority and presents {@code name}'s certificate when asked (mutual TLS). The
     * JDK's key manager presents it only to a server that names its issuer among the authorities it accepts, so
     * {@link #MALLORY}'s self-signed certificate is not sent at all; see {@link #insistingContext}.
     */
    public SSLContext context(String name) {
        return context(name, false);
    }

    /**
     * Like {@link #context(String)}, but presents {@code name}'s certificate to every server that asks, whichever
     * authorities it names: how a client with a certificate the server does not trust gets it refused.
     */
    public SSLContext insistingContext(String name) {
        return context(Objects.requireNonNull(name, "name"), true);
    }

    private SSLContext context(String name, boolean insist) {
        try {
            KeyManagerFactory kmf = null;
            if (name != null) {
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                KeyStore.PrivateKeyEntry e = entry(name);
                keys.setKeyEntry(name, e.getPrivateKey(), PASSWORD, e.getCertificateChain());
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, PASSWORD);
            }
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            KeyManager[] km = kmf == null ? null : kmf.getKeyManagers();
            if (insist) {
                km = new KeyManager[] {new Insisting((X509ExtendedKeyManager) km[0], name)};
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(km, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a TLS context for " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * A PEM file of this PKI: {@code ca.pem}, {@code NAME.pem} (chain) or {@code NAME.key} (PKCS#8 private key).
     */
    public Path pem(String file) {
        Path p = dir.resolve(file);
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("no PEM file " + file + " in the test PKI (" + dir + ")");
        }
        return p;
    }

    /** A key manager that always picks one alias for the client side. */
    private static final class Insisting extends X509ExtendedKeyManager {
        private final X509ExtendedKeyManager keys;
        private final String alias;

        Insisting(X509ExtendedKeyManager keys, String alias) {
            this.keys = keys;
            this.alias = alias;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return alias;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return alias;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {alias};
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return keys.getServerAliases(keyType, issuers);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return keys.chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public X509Certificate[] getCertificateChain(String name) {
            return keys.getCertificateChain(name);
        }

        @Override
        public PrivateKey getPrivateKey(String name) {
            return keys.getPrivateKey(name);
        }
    }

    private KeyStore.PrivateKeyEntry entry(String name) {
        KeyStore.PrivateKeyEntry e = identities.get(name);
        if (e == null) {
            throw new IllegalArgumentException("no identity '" + name + "' in the test PKI: " + identities.keySet());
        }
        return e;
    }

    // --- making it ------------------------------------------------------------------------------------------

    private static TestPki make() throws IOException, InterruptedException, GeneralSecurityException {
        Path dir = Files.createTempDirectory("ripcord-pki");
        dir.toFile().deleteOnExit();
        // One key store per identity, so that the rounds' keytool processes never write the same file.
        keytool(dir,
                List.of("-genkeypair", "-alias", "ca", "-dname", "CN=Ripcord Test CA", "-ext", "bc:c",
                        "-keystore", "ca.p12"),
                List.of("-genkeypair", "-alias", SERVER, "-dname", "CN=localhost", "-keystore", SERVER + ".p12"),
                List.of("-genkeypair", "-alias", ALICE, "-dname", "CN=alice", "-keystore", ALICE + ".p12"),
                List.of("-genkeypair", "-alias", MALLORY, "-dname", "CN=mallory", "-keystore", MALLORY + ".p12"));
        keytool(dir,
                List.of("-certreq", "-alias", SERVER, "-keystore", SERVER + ".p12", "-file", SERVER + ".csr"),
                List.of("-certreq", "-alias", ALICE, "-keystore", ALICE + ".p12", "-file", ALICE + ".csr"));
        keytool(dir,
                List.of("-gencert", "-alias", "ca", "-keystore", "ca.p12", "-infile", SERVER + ".csr", "-outfile",
                        SERVER + ".crt", "-rfc", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-ext", "EKU=serverAuth"),
                List.of("-gencert", "-alias", "ca", "-keystore", "ca.p12", "-infile", ALICE + ".csr", "-outfile",
                        ALICE + ".crt", "-rfc", "-ext", "SAN=email:alice@example.com", "-ext", "EKU=clientAuth"));

        KeyStore.PrivateKeyEntry caEntry = load(dir, "ca");
        X509Certificate ca = (X509Certificate) caEntry.getCertificate();
        Map<String, KeyStore.PrivateKeyEntry> identities = new LinkedHashMap<>();
        for (String name : List.of(SERVER, ALICE)) {
            X509Certificate signed = readCertificate(dir.resolve(name + ".crt"));
            identities.put(name, new KeyStore.PrivateKeyEntry(load(dir, name).getPrivateKey(),
                    new Certificate[] {signed, ca}));
        }
        identities.put(MALLORY, load(dir, MALLORY));

        writePem(dir.resolve("ca.pem"), "CERTIFICATE", ca.getEncoded());
        for (Map.Entry<String, KeyStore.PrivateKeyEntry> e : identities.entrySet()) {
            StringBuilder chain = new StringBuilder();
            for (Certificate c : e.getValue().getCertificateChain()) {
                chain.append(pem("CERTIFICATE", c.getEncoded()));
            }
            Files.writeString(dir.resolve(e.getKey() + ".pem"), chain, StandardCharsets.US_ASCII);
            writePem(dir.resolve(e.getKey() + ".key"), "PRIVATE KEY", e.getValue().getPrivateKey().getEncoded());
        }
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                p.toFile().deleteOnExit();
            }
        }
        return new TestPki(ca, Map.copyOf(identities), dir);
    }

    /** Runs one keytool per argument list, all at once, in {@code dir}; fails if any of them does. */
    @SafeVarargs
    private static void keytool(Path dir, List<String>... runs) throws IOException, InterruptedException {
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        List<Process> started = new ArrayList<>();
        for (List<String> args : runs) {
            List<String> command = new ArrayList<>(List.of(keytool));
            command.addAll(args);
            if (args.get(0).equals("-genkeypair")) {
                command.addAll(List.of("-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2"));
            }
            command.addAll(List.of("-storetype", "PKCS12", "-storepass", new String(PASSWORD), "-keypass",
                    new String(PASSWORD), "-noprompt"));
            started.add(new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start());
        }
        for (int i = 0; i < started.size(); i++) {
            Process p = started.get(i);
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("keytool " + runs[i] + " failed: " + output);
            }
        }
    }

    private static KeyStore.PrivateKeyEntry load(Path dir, String alias) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve(alias + ".p12"))) {
            ks.load(in, PASSWORD);
        }
        Key key = ks.getKey(alias, PASSWORD);
        return new KeyStore.PrivateKeyEntry((PrivateKey) key, ks.getCertificateChain(alias));
    }

    private static X509Certificate readCertificate(Path file) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static void writePem(Path file, String type, byte[] der) throws IOException {
        Files.writeString(file, pem(type, der), StandardCharsets.US_ASCII);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
