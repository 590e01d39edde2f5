package io.ripcord.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NettyEchoServerTest {

    @Test
    void nettyNioEchoServerSendsTheBytesBack() throws Exception {
        try (NettyEchoServer server = NettyEchoServer.start("127.0.0.1", 0, NettyEchoServer.Kind.NIO, 1)) {
            SocketAddress address = server.address();
            try (SocketChannel ch = SocketChannel.open(address)) {
                ByteBuffer hello = StandardCharsets.US_ASCII.encode("smoke");
                ch.write(hello);
                ByteBuffer back = ByteBuffer.allocate(5);
                while (back.hasRemaining() && ch.read(back) >= 0) {
                    // Blocking reads: loop until all five bytes are back or the server closes.
                }
                assertEquals("smoke", StandardCharsets.US_ASCII.decode(back.flip()).toString());
            }
        }
    }

    /** The TLS peer of {@code compare-echo --tls}: a PKCS12 made by the JDK's keytool, an SSLSocket client. */
    @Test
    void nettyEpollEchoServerOverTlsSendsTheBytesBack(@TempDir Path dir) throws Exception {
        Path p12 = dir.resolve("server.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "echo", "-keyalg", "EC", "-groupname",
                "secp256r1", "-dname", "CN=localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore",
                p12.toString(), "-storepass", "secret", "-keypass", "secret").redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "keytool failed: " + output);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            trust.load(in, "secret".toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);

        SSLContext serverContext = NettyEchoServerCommand.serverContext(p12, "secret".toCharArray());
        try (NettyEchoServer server = NettyEchoServer.start("127.0.0.1", 0, NettyEchoServer.Kind.EPOLL, 1,
                serverContext);
             SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket()) {
            s.connect(server.address(), 5000);
            s.setSoTimeout(10_000);
            byte[] hello = "over tls".getBytes(StandardCharsets.US_ASCII);
            s.getOutputStream().write(hello);
            s.getOutputStream().flush();
            assertArrayEquals(hello, s.getInputStream().readNBytes(hello.length));
        }
    }

    @Test
    void medianOfEvenCountIsTheMeanOfTheMiddleTwo() {
        List<CompareEchoCommand.Sample> s = List.of(new CompareEchoCommand.Sample(4, 0, 40, 0, 0),
                new CompareEchoCommand.Sample(1, 0, 10, 0, 0), new CompareEchoCommand.Sample(3, 0, 30, 0, 0),
                new CompareEchoCommand.Sample(2, 0, 20, 0, 0));
        assertEquals(2.5, CompareEchoCommand.median(s, true));
        assertEquals(25, CompareEchoCommand.median(s, false));
    }
}
