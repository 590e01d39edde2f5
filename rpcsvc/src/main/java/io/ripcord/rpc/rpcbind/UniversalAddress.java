package io.ripcord.rpc.rpcbind;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * Universal addresses (RFC 5665 section 5.2.3, used by rpcbind versions 3 and 4, RFC 1833 section 2.1): an
 * IPv4 address and port as {@code h1.h2.h3.h4.p1.p2}, the port split into its high and low bytes
 * ({@code 127.0.0.1.0.111} is port 111, {@code 127.0.0.1.93.199} port 24007). IPv6 addresses take their text
 * form followed by {@code .p1.p2}. Stateless; nothing here resolves a name.
 */
public final class UniversalAddress {

    private UniversalAddress() {
    }

    /**
     * The universal address of {@code address}.
     *
     * @param address a resolved IPv4 or IPv6 socket address (an IPv6 scope id is left out)
     * @return {@code h1.h2.h3.h4.p1.p2}, or the IPv6 text form followed by {@code .p1.p2}
     * @throws NullPointerException     if {@code address} is null
     * @throws IllegalArgumentException if it is unresolved
     */
    public static String format(InetSocketAddress address) {
        Objects.requireNonNull(address, "address");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("cannot format an unresolved address: " + address);
        }
        String host = address.getAddress().getHostAddress();
        int scope = host.indexOf('%');
        if (scope >= 0) {
            host = host.substring(0, scope);
        }
        return format(host, address.getPort());
    }

    /** {@code host} (an address literal) followed by the port's two bytes. */
    static String format(String host, int port) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        return host + "." + (port >> 8) + "." + (port & 0xFF);
    }

    /**
     * The wildcard IPv4 address with {@code port}: what servers bound to any address register.
     *
     * @param port the port, 0 to 65535
     * @return {@code 0.0.0.0.p1.p2}
     * @throws IllegalArgumentException if the port is out of range
     */
    public static String anyIpv4(int port) {
        return format("0.0.0.0", port);
    }

    /**
     * Parses a universal address. No name is looked up.
     *
     * @param uaddr an IPv4 ({@code h1.h2.h3.h4.p1.p2}) or IPv6 ({@code x:...:y.p1.p2}) universal address
     * @return the resolved socket address it names
     * @throws NullPointerException     if {@code uaddr} is null
     * @throws IllegalArgumentException if it is not one
     */
    public static InetSocketAddress parse(String uaddr) {
        Objects.requireNonNull(uaddr, "uaddr");
        int last = uaddr.lastIndexOf('.');
        int prev = last > 0 ? uaddr.lastIndexOf('.', last - 1) : -1;
        if (prev <= 0) {
            throw new IllegalArgumentException("not a universal address (no .p1.p2 port): \"" + uaddr + "\"");
        }
        int port = octet(uaddr, uaddr.substring(prev + 1, last)) << 8 | octet(uaddr, uaddr.substring(last + 1));
        String host = uaddr.substring(0, prev);
        InetAddress address;
        try {
            if (host.indexOf(':') >= 0) {
                address = InetAddress.getByName(host); // an IPv6 literal: parsed, never looked up
            } else {
                String[] parts = host.split("\\.", -1);
                if (parts.length != 4) {
                    throw new IllegalArgumentException("not an IPv4 universal address: \"" + uaddr + "\"");
                }
                byte[] bytes = new byte[4];
                for (int i = 0; i < 4; i++) {
                    bytes[i] = (byte) octet(uaddr, parts[i]);
                }
                address = Inet4Address.getByAddress(bytes);
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not a universal address: \"" + uaddr + "\": " + e.getMessage(), e);
        }
        return new InetSocketAddress(address, port);
    }

    private static int octet(String uaddr, String s) {
        if (s.isEmpty() || s.length() > 3 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("not a universal address: \"" + uaddr + "\" (\"" + s
                    + "\" is not a number from 0 to 255)");
        }
        int v = Integer.parseInt(s);
        if (v > 255) {
            throw new IllegalArgumentException("not a universal address: \"" + uaddr + "\" (" + v + " > 255)");
        }
        return v;
    }
}
