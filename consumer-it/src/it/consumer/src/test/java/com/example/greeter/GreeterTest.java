package com.example.greeter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.example.greeter.protocol.Greeting;
import com.example.greeter.protocol.GreeterV1;
import io.ripcord.rpc.AcceptStat;
import io.ripcord.testkit.RpcReply;
import io.ripcord.testkit.ServiceHarness;
import org.junit.jupiter.api.Test;

class GreeterTest {

    @Test
    void theTestKitCallsTheProgramWithoutASocket() throws Exception {
        ServiceHarness h = ServiceHarness.of(GreeterV1.program(new Greeter()));
        RpcReply first = h.call(GreeterV1.PROGRAM, GreeterV1.VERSION, GreeterV1.GREET,
                (e, name) -> e.writeString(name, 64), "test kit");
        assertEquals(new Greeting("hello, test kit", 1), first.result(Greeting::decode));
        RpcReply wrongVersion = h.call(GreeterV1.PROGRAM, 2, 0);
        assertEquals(AcceptStat.PROG_MISMATCH, wrongVersion.acceptStat());
        assertEquals(1, wrongVersion.mismatchLow());
    }

    @Test
    void aClientCallsTheServerOverLoopback() throws Exception {
        assertEquals(new Greeting("hello, loopback", 3), Greeter.serveAndCall("loopback", 3));
    }
}
