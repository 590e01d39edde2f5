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
import java.util.ArrayList;
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
            // Three rounds of keytool runs that need nothing from each other, each round at once.
            keytool(work, List.of(
                    genkeypair("ca", "CN=Ripcord Demo CA", "-ext", "bc:c"),
                    genkeypair("server", "CN=localhost"),
                    genkeypair("client", "CN=demo-client")));
            keytool(work, List.of(
                    List.of("-certreq", "-alias", "server", "-keystore", "server.p12", "-file", "server.csr"),
                    List.of("-certreq", "-alias", "client", "-keystore", "client.p12", "-file", "client.csr")));
            keytool(work, List.of(gencert("server", san), gencert("client", "EKU=clientAuth")));
            Certificate ca = store(work, "ca").getCertificate("ca");
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
                out.setKeyEntry(name, (PrivateKey) store(work, name).getKey(name, PASSWORD.toCharArray()),
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

    /** A new key pair and self-signed certificate for {@code alias}, in its own key store {@code alias.p12}. */
    private static List<String> genkeypair(String alias, String dname, String... more) {
        List<String> args = new ArrayList<>(List.of("-genkeypair", "-alias", alias, "-dname", dname, "-keystore",
                alias + ".p12", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "30"));
        args.addAll(List.of(more));
        return args;
    }

    /** The authority signs {@code name}'s request into {@code name.crt}. */
    private static List<String> gencert(String name, String extension) {
        return List.of("-gencert", "-alias", "ca", "-keystore", "ca.p12", "-infile", name + ".csr", "-outfile",
                name + ".crt", "-ext", extension);
    }

    private static KeyStore store(Path work, String alias) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(work.resolve(alias + ".p12"))) {
            ks.load(in, PASSWORD.toCharArray());
        }
        return ks;
    }

    /** Runs keytool once per argument list, all at the same time, in {@code work}; fails if one fails. */
    private static void keytool(Path work, List<List<String>> runs) throws IOException, InterruptedException {
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        List<Process> running = new ArrayList<>();
        for (List<String> args : runs) {
            List<String> command = new ArrayList<>();
            command.add(keytool);
            command.addAll(args);
            command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD, "-noprompt"));
            running.add(new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true).start());
        }
        for (Process p : running) {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("keytool failed: " + output.strip());
            }
        }
    }
}
