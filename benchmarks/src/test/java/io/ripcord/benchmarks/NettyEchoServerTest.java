package io.ripcord.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

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

    @Test
    void medianOfEvenCountIsTheMeanOfTheMiddleTwo() {
        List<CompareEchoCommand.Sample> s = List.of(new CompareEchoCommand.Sample(4, 0, 40, 0, 0),
                new CompareEchoCommand.Sample(1, 0, 10, 0, 0), new CompareEchoCommand.Sample(3, 0, 30, 0, 0),
                new CompareEchoCommand.Sample(2, 0, 20, 0, 0));
        assertEquals(2.5, CompareEchoCommand.median(s, true));
        assertEquals(25, CompareEchoCommand.median(s, false));
    }
}
