package io.ripcord.rpc.tls;

import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * The names {@link CertificateUserMapper}'s built-in mappers read from a certificate. The JDK hands the subject and
 * an {@code otherName} over as DER bytes ({@link javax.security.auth.x500.X500Principal#getEncoded()},
 * {@link X509Certificate#getSubjectAlternativeNames()}); reading them here keeps {@code java.naming} (its LDAP name
 * parser) out of the module's dependencies.
 */
final class SubjectNames {

    /** {@code GeneralName} choices (RFC 5280 section 4.2.1.6), as {@code getSubjectAlternativeNames} numbers them. */
    private static final int OTHER_NAME = 0;
    private static final int RFC822_NAME = 1;
    /** DER tags (X.690): SEQUENCE, SET, OBJECT IDENTIFIER, [0] constructed, and the string types of names. */
    private static final int SEQUENCE = 0x30;
    private static final int SET = 0x31;
    private static final int OID = 0x06;
    private static final int CONTEXT_0 = 0xA0;
    private static final int UTF8_STRING = 0x0C;
    private static final int PRINTABLE_STRING = 0x13;
    private static final int IA5_STRING = 0x16;

    /** {@code id-at-commonName} (RFC 5280 appendix A). */
    private static final String COMMON_NAME = "2.5.4.3";

    private SubjectNames() {
    }

    /** The last (most specific) common name of the subject (RFC 5280: {@code id-at-commonName}), or {@code null}. */
    static String commonName(X509Certificate certificate) {
        Der name = new Der(certificate.getSubjectX500Principal().getEncoded()).next(SEQUENCE);
        String cn = null;
        for (Der rdn = name == null ? null : name.next(SET); rdn != null; rdn = name.next(SET)) {
            for (Der attribute = rdn.next(SEQUENCE); attribute != null; attribute = rdn.next(SEQUENCE)) {
                byte[] type = attribute.bytes(OID);
                if (type != null && COMMON_NAME.equals(dotted(type))) {
                    String value = attribute.string();
                    cn = value != null ? value : cn;
                }
            }
        }
        return cn;
    }

    static String emailLocalPart(X509Certificate certificate) throws CertificateParsingException {
        Collection<List<?>> names = certificate.getSubjectAlternativeNames();
        if (names == null) {
            return null;
        }
        for (List<?> name : names) {
            if ((Integer) name.get(0) == RFC822_NAME) {
                String address = (String) name.get(1);
                int at = address.lastIndexOf('@');
                return at > 0 ? address.substring(0, at) : null;
            }
        }
        return null;
    }

    static String otherNameUser(X509Certificate certificate, String oid) throws CertificateParsingException {
        Collection<List<?>> names = certificate.getSubjectAlternativeNames();
        if (names == null) {
            return null;
        }
        for (List<?> name : names) {
            if ((Integer) name.get(0) == OTHER_NAME && name.get(1) instanceof byte[]) {
                String value = otherNameValue((byte[]) name.get(1), oid);
                if (value != null) {
                    int at = value.lastIndexOf('@');
                    return at < 0 ? value : at > 0 ? value.substring(0, at) : null;
                }
            }
        }
        return null;
    }

    /**
     * The string in {@code OtherName ::= SEQUENCE { type-id OID, value [0] EXPLICIT ANY }} (RFC 5280) if its type
     * is {@code oid} and its value a string; {@code null} otherwise, or when the bytes do not hold one.
     *
     * @param der the name as the JDK gives it: the SEQUENCE (or the same under its GeneralName's [0] tag), whose
     *            value the JDK wraps in one [0] more than RFC 5280 does
     */
    static String otherNameValue(byte[] der, String oid) {
        Der all = new Der(der);
        Der name = all.peekTag() == SEQUENCE ? all.next(SEQUENCE) : all.next(CONTEXT_0);
        byte[] type = name == null ? null : name.bytes(OID);
        if (type == null || !oid.equals(dotted(type))) {
            return null;
        }
        Der value = name.next(CONTEXT_0);
        if (value != null && value.peekTag() == CONTEXT_0) {
            value = value.next(CONTEXT_0); // the JDK (17 to 25) wraps the explicit [0] in a second one
        }
        return value == null ? null : value.string();
    }

    /** An OBJECT IDENTIFIER's content octets as {@code 1.2.840...} (X.690 section 8.19), or {@code null}. */
    static String dotted(byte[] content) {
        if (content.length == 0 || (content[content.length - 1] & 0x80) != 0) {
            return null;
        }
        StringBuilder s = new StringBuilder();
        long arc = 0;
        boolean first = true;
        for (byte b : content) {
            if (arc > (Long.MAX_VALUE >> 7)) {
                return null;
            }
            arc = (arc << 7) | (b & 0x7F);
            if ((b & 0x80) == 0) {
                if (first) {
                    int top = arc < 40 ? 0 : arc < 80 ? 1 : 2;
                    s.append(top).append('.').append(arc - 40L * top);
                    first = false;
                } else {
                    s.append('.').append(arc);
                }
                arc = 0;
            }
        }
        return s.toString();
    }

    /**
     * A cursor over the values inside one DER value (X.690), front to back; every length is checked against the
     * bytes present (the indefinite form and lengths over 2^31 are refused) before anything is read past it.
     */
    private static final class Der {
        private final byte[] b;
        private final int end;
        private int p;

        Der(byte[] bytes) {
            this(bytes, 0, bytes.length);
        }

        private Der(byte[] bytes, int from, int to) {
            this.b = bytes;
            this.p = from;
            this.end = to;
        }

        int peekTag() {
            return p < end ? b[p] & 0xFF : -1;
        }

        /** The next value if its tag is {@code tag}, as a cursor over its contents; else {@code null}. */
        Der next(int tag) {
            int length = header(tag);
            if (length < 0) {
                return null;
            }
            Der inner = new Der(b, p, p + length);
            p += length;
            return inner;
        }

        /** The next value's contents if its tag is {@code tag}; else {@code null}. */
        byte[] bytes(int tag) {
            Der v = next(tag);
            return v == null ? null : Arrays.copyOfRange(b, v.p, v.end);
        }

        /** The next value if it is a UTF8String, PrintableString or IA5String; else {@code null}. */
        String string() {
            int tag = peekTag();
            if (tag != UTF8_STRING && tag != PRINTABLE_STRING && tag != IA5_STRING) {
                return null;
            }
            byte[] s = bytes(tag);
            return s == null ? null : new String(s, tag == UTF8_STRING ? StandardCharsets.UTF_8
                    : StandardCharsets.US_ASCII);
        }

        /** Reads a tag and a length; the length of the contents, which lie within this cursor, or -1. */
        private int header(int tag) {
            if (peekTag() != tag || end - p < 2) {
                return -1;
            }
            int at = p + 1;
            int first = b[at++] & 0xFF;
            long length;
            if (first < 0x80) {
                length = first;
            } else {
                int octets = first & 0x7F;
                if (octets == 0 || octets > 4 || octets > end - at) {
                    return -1;
                }
                length = 0;
                for (int i = 0; i < octets; i++) {
                    length = (length << 8) | (b[at++] & 0xFF);
                }
            }
            if (length > end - at) {
                return -1;
            }
            p = at;
            return (int) length;
        }
    }
}
