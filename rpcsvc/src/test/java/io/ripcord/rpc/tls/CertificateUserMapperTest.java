package io.ripcord.rpc.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ripcord.testsupport.TestPki;
import java.io.InputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The built-in {@link CertificateUserMapper}s on real certificates: the test PKI's (made by keytool) and
 * {@code othername.pem} (made once with {@code openssl req -x509 ... -subj "/O=Ripcord Test/CN=bob" -addext
 * "subjectAltName=otherName:1.3.6.1.4.1.2238.1.1.1;UTF8:bob@example.org,email:robert@example.org,
 * otherName:1.2.3.4;UTF8:eve@elsewhere"}), and the otherName reader on DER bytes that lie.
 */
class CertificateUserMapperTest {

    private static final String USER_OID = "1.3.6.1.4.1.2238.1.1.1";

    private static X509Certificate otherNameCertificate() throws Exception {
        try (InputStream in = CertificateUserMapperTest.class.getResourceAsStream("othername.pem")) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    @Test
    void theCommonNameIsTheSubjectsMostSpecificCn() throws Exception {
        X509Certificate alice = TestPki.get().chain(TestPki.ALICE).get(0);
        assertEquals("alice", CertificateUserMapper.subjectCommonName().user(alice));
        assertEquals("bob", CertificateUserMapper.subjectCommonName().user(otherNameCertificate()));
        assertEquals("Ripcord Test CA", CertificateUserMapper.subjectCommonName().user(TestPki.get().authority()));
    }

    @Test
    void theEmailMapperTakesTheLocalPartOfTheFirstRfc822Name() throws Exception {
        assertEquals("alice", CertificateUserMapper.emailLocalPart().user(TestPki.get().chain(TestPki.ALICE).get(0)));
        assertEquals("robert", CertificateUserMapper.emailLocalPart().user(otherNameCertificate()));
        assertNull(CertificateUserMapper.emailLocalPart().user(TestPki.get().chain(TestPki.SERVER).get(0)));
    }

    @Test
    void theOtherNameMapperReadsTheUserOfTheOtherNameOfItsType() throws Exception {
        X509Certificate bob = otherNameCertificate();
        assertEquals("bob", CertificateUserMapper.otherNameUser(USER_OID).user(bob));
        assertEquals("eve", CertificateUserMapper.otherNameUser("1.2.3.4").user(bob));
        assertNull(CertificateUserMapper.otherNameUser("1.2.3.5").user(bob));
        assertNull(CertificateUserMapper.otherNameUser(USER_OID).user(TestPki.get().chain(TestPki.ALICE).get(0)));
        assertThrows(IllegalArgumentException.class, () -> CertificateUserMapper.otherNameUser("user"));
    }

    @Test
    void otherNameBytesThatLieAboutTheirLengthsGiveNoUser() {
        // SEQUENCE { OID 1.2.3.4, [0] { UTF8String "eve" } }: RFC 5280's form, without the JDK's extra [0].
        byte[] ok = HexFormat.of().parseHex("300c06032a0304a0050c03657665");
        assertEquals("eve", SubjectNames.otherNameValue(ok, "1.2.3.4"));
        for (String lie : new String[] {
                "300d06032a0304a0050c03657665",   // the SEQUENCE claims a byte more than there is
                "300c06032a0304a0060c03657665",   // the [0] claims more than its SEQUENCE holds
                "300c06032a0304a0050c04657665",   // the string runs past the end
                "308506032a0304a0050c03657665",   // a five-octet length
                "3080",                           // the indefinite form
                "",
                "300c06032a0304a0050403657665"}) { // an OCTET STRING, not a string type
            assertNull(SubjectNames.otherNameValue(HexFormat.of().parseHex(lie), "1.2.3.4"), lie);
        }
        assertEquals("1.2.840.113549", SubjectNames.dotted(HexFormat.of().parseHex("2a864886f70d")));
        assertNull(SubjectNames.dotted(HexFormat.of().parseHex("2a86")), "a last arc cut short");
    }
}
