package io.ripcord.rpc;

import static io.ripcord.rpc.Wire.asInts;
import static io.ripcord.rpc.Wire.call;
import static io.ripcord.rpc.Wire.ints;
import static io.ripcord.rpc.Wire.readRecord;
import static io.ripcord.rpc.Wire.record;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import io.ripcord.rpc.xdr.XdrDecoder;
import io.ripcord.rpc.xdr.XdrEncoder;
import io.ripcord.transport.Listener;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The flight recorder event {@code io.ripcord.RpcCall}: one per call served while recording, with exact fields. */
class RpcCallEventTest {

    private static final int PROG = 0x20000B0D;

    @Test
    void eachCallServedWhileRecordingIsOneEventWithItsProgramProcedureXidAndStatus(@TempDir Path dir)
            throws Exception {
        EventPool pool = EventPool.create(EventPoolOptions.builder().pollers(1).threadNamePrefix("jfr").build())
                .start();
        RpcService service = RpcService.create();
        service.register(RpcProgram.builder(PROG, 3, "JFR")
                .actor(RpcActor.of(7, "INC", XdrDecoder::readInt, (c, a) -> c.reply(a + 1, XdrEncoder::writeInt)))
                .build());
        Listener listener = service.listen(pool, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Path file = dir.resolve("calls.jfr");
        try (Socket socket = new Socket()) {
            socket.connect(listener.address(), 5000);
            socket.setSoTimeout(10_000);
            // Before the recording: no event.
            socket.getOutputStream().write(record(call(0x10, PROG, 3, 7, ints(1))));
            readRecord(socket.getInputStream());
            try (Recording recording = new Recording()) {
                recording.enable("io.ripcord.RpcCall");
                recording.start();
                socket.getOutputStream().write(record(call(0xCAFEF00D, PROG, 3, 7, ints(41))));
                assertArrayEquals(new int[] {0xCAFEF00D, 1, 0, 0, 0, 0, 42}, asInts(readRecord(socket.getInputStream())));
                socket.getOutputStream().write(record(call(0x22, PROG, 3, 7, new byte[0])));
                assertArrayEquals(new int[] {0x22, 1, 0, 0, 0, AcceptStat.GARBAGE_ARGS},
                        asInts(readRecord(socket.getInputStream())));
                socket.getOutputStream().write(record(call(0x23, 99, 1, 0, new byte[0])));
                readRecord(socket.getInputStream());
                // An event is committed before its call is counted: once counted, it is in the recording.
                await().atMost(Duration.ofSeconds(10)).until(() ->
                        service.metrics().procedure(PROG, 3, 7).orElseThrow().ended() == 3
                                && service.metrics().unmatched().ended() == 1);
                recording.stop();
                recording.dump(file);
            }
            String client = String.valueOf(socket.getLocalSocketAddress());
            List<RecordedEvent> events = RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().equals("io.ripcord.RpcCall"))
                    .sorted((a, b) -> a.getStartTime().compareTo(b.getStartTime()))
                    .collect(Collectors.toList());
            assertEquals(3, events.size(), events.toString());

            RecordedEvent success = events.get(0);
            assertEquals(PROG, success.getLong("program"));
            assertEquals(3, success.getLong("version"));
            assertEquals(7, success.getLong("procedure"));
            assertEquals("INC", success.getString("procedureName"));
            assertEquals(0xCAFEF00DL, success.getLong("xid"));
            assertEquals("SUCCESS", success.getString("status"));
            assertEquals(client, success.getString("remote"));
            assertTrue(!success.getDuration().isNegative() && success.getDuration().compareTo(Duration.ofSeconds(10)) < 0,
                    success.getDuration().toString());

            RecordedEvent garbage = events.get(1);
            assertEquals(0x22, garbage.getLong("xid"));
            assertEquals("GARBAGE_ARGS", garbage.getString("status"));

            RecordedEvent unknown = events.get(2);
            assertEquals(99, unknown.getLong("program"));
            assertEquals(0x23, unknown.getLong("xid"));
            assertEquals("PROG_UNAVAIL", unknown.getString("status"));
            assertNull(unknown.getString("procedureName"));
        } finally {
            listener.close();
            pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        }
    }
}
