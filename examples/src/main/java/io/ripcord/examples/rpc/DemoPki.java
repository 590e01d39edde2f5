package io.ripcord.examples.rpc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Demonstration certificates made when {@code rpc-server --tls} starts without a key store: an authority
 * ({@code ca.pem}), a server key store ({@code server.p12}: {@code CN=localhost}, valid for {@code localhost},
 * {@code 127.0.0.1} and the address served) and a client key store for mutual TLS ({@code client.p12}:
 * {@code CN=demo-client}), both signed by the authority, with the password {@link #PASSWORD}. Made by the JDK's
 * {@code keytool} (EC P-256, valid for 30 days). Their private keys sit in a directory anyone who can read it may
 * copy: for trying things out only.
 */
final class DemoPki {

    /** The password of both key stores. */
    static final String PASSWORD = "ripcord-demo";

    private DemoPki() {
    }

    /**
     * Writes {@code ca.pem}, {@code server.p12} and {@code client.p12} into {@code dir}, replacing what is there.
     *
     * @param host the address the server binds, added to its certificate when it is an IP address
     */
    static void make(Path dir, String host) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        String san = "SAN=dns:localhost,ip:127.0.0.1";
        if (!host.equals("127.0.0.1") && host.matches("[0-9.]+|[0-9a-fA-F:]+") && !InetAddress.getByName(host)
                .isAnyLocalAddress()) {
            san += ",ip:" + host;
        }
        Path work = Files.createTempDirectory(dir, "keytool");
        try {
            keytool(work, "-genkeypair", "-alias", "ca", "-dname", "CN=Ripcord Demo CA", "-ext", "bc:c");
            sign(work, "server", "CN=localhost", san);
            sign(work, "client", "CN=demo-client", "EKU=clientAuth");
            Certificate ca = store(work).getCertificate("ca");
            Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(ca.getEncoded())
                    + "\n-----END CERTIFICATE-----\n", StandardCharsets.US_ASCII);
            for (String name : List.of("server", "client")) {
                Certificate signed;
                try (InputStream in = Files.newInputStream(work.resolve(name + ".crt"))) {
                    signed = CertificateFactory.getInstance("X.509").generateCertificate(in);
                }
                KeyStore out = KeyStore.getInstance("PKCS12");
                out.load(null, null);
                out.setKeyEntry(name, (PrivateKey) store(work).getKey(name, PASSWORD.toCharArray()),
                        PASSWORD.toCharArray(), new Certificate[] {signed, ca});
                try (OutputStream o = Files.newOutputStream(dir.resolve(name + ".p12"))) {
                    out.store(o, PASSWORD.toCharArray());
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot make the demo certificates: " + e.getMessage(), e);
        } finally {
            try (var files = Files.list(work)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.delete(p);
                }
            }
            Files.delete(work);
        }
    }

    /** A key pair for {@code name}, and its certificate signed by the authority, in {@code name.crt}. */
    private static void sign(Path work, String name, String dname, String extension)
            throws IOException, InterruptedException {
        keytool(work, "-genkeypair", "-alias", name, "-dname", dname);
        keytool(work, "-certreq", "-alias", name, "-file", name + ".csr");
        keytool(work, "-gencert", "-alias", "ca", "-infile", name + ".csr", "-outfile", name + ".crt", "-ext",
                extension);
    }

    private static KeyStore store(Path work) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(work.resolve("demo.p12"))) {
            ks.load(in, PASSWORD.toCharArray());
        }
        return ks;
    }

    /** One keytool run on the working key store {@code demo.p12}. */
    private static void keytool(Path work, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        if (args[0].equals("-genkeypair")) {
            command.addAll(List.of("-keyalg", "EC", "-groupname", "secp256r1", "-validity", "30"));
        }
        command.addAll(List.of("-keystore", "demo.p12", "-storetype", "PKCS12", "-storepass", PASSWORD,
                "-keypass", PASSWORD, "-noprompt"));
        Process p = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool " + args[0] + " failed: " + output.strip());
        }
    }
}
