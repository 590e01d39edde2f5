package io.ripcord.rpc.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class UniversalAddressTest {

    @Test
    void portsSplitIntoHighAndLowBytesAsRpcbindWritesThem() throws Exception {
        // Both seen on the wire from Debian's rpcbind and rpcinfo (tshark on port 111).
        InetSocketAddress rpcbind = new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 111);
        InetSocketAddress glusterd = new InetSocketAddress(rpcbind.getAddress(), 24007);
        assertEquals("127.0.0.1.0.111", UniversalAddress.format(rpcbind));
        assertEquals("127.0.0.1.93.199", UniversalAddress.format(glusterd));
        assertEquals(rpcbind, UniversalAddress.parse("127.0.0.1.0.111"));
        assertEquals(glusterd, UniversalAddress.parse("127.0.0.1.93.199"));
        assertEquals("0.0.0.0.255.255", UniversalAddress.anyIpv4(65535));
    }

    @Test
    void ipv6AddressesKeepTheirTextFormBeforeThePort() throws Exception {
        InetSocketAddress a = UniversalAddress.parse("::1.0.111");
        assertEquals(InetAddress.getByName("::1"), a.getAddress());
        assertEquals(111, a.getPort());
        assertEquals(a, UniversalAddress.parse(UniversalAddress.format(a)));
    }

    @Test
    void malformedAddressesAreRejectedWithoutALookUp() {
        for (String bad : new String[] {"", "127.0.0.1", "127.0.0.1.0", "127.0.0.1.0.256", "127.0.1.0.111",
            "example.com.0.111", "1.2.3.4.-1.0", "1.2.3.4.0.x", "1..3.4.0.111"}) {
            assertThrows(IllegalArgumentException.class, () -> UniversalAddress.parse(bad), bad);
        }
    }
}
