package dev.magpie.management.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generated certificate, read back by the JDK: the fields HTTPS clients check, and a key that matches it. */
class SelfSignedCertificateTest {

    @TempDir
    Path dir;

    @Test
    void certificateNamesTheLoopbackHostsAndIsAServerCertificateForItsOwnKey() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        SelfSignedCertificate.write(cert, key, List.of("cache.example", "10.1.2.3"));

        X509Certificate certificate;
        try (InputStream in = Files.newInputStream(cert)) {
            certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        assertEquals(3, certificate.getVersion());
        assertEquals("SHA256withECDSA", certificate.getSigAlgName());
        assertEquals("CN=Magpie management (self-signed)", certificate.getSubjectX500Principal().getName());
        assertEquals(certificate.getSubjectX500Principal(), certificate.getIssuerX500Principal());
        certificate.verify(certificate.getPublicKey());
        certificate.checkValidity();
        Duration validity = Duration.between(certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant());
        assertEquals(Duration.ofDays(825).plusMinutes(5), validity);
        assertTrue(certificate.getSerialNumber().signum() > 0);

        Set<String> names = certificate.getSubjectAlternativeNames().stream()
                .map(name -> name.get(0) + ":" + name.get(1)).collect(Collectors.toSet());
        assertEquals(Set.of("2:localhost", "7:127.0.0.1", "7:0:0:0:0:0:0:0:1", "2:cache.example", "7:10.1.2.3"), names);
        assertEquals(-1, certificate.getBasicConstraints(), "not a CA");
        assertTrue(certificate.getKeyUsage()[0], "digitalSignature");
        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), certificate.getExtendedKeyUsage());
        assertEquals(Set.of("2.5.29.15", "2.5.29.19"), certificate.getCriticalExtensionOIDs());

        // The key file holds the private half of the certificate's key.
        String pem = Files.readString(key).replaceAll("-----[A-Z ]+-----|\\s", "");
        var privateKey = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(privateKey);
        signer.update(new byte[] {1, 2, 3});
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(new byte[] {1, 2, 3});
        assertTrue(verifier.verify(signature));
    }

    @Test
    void derLengthsTimesAndIdentifiersFollowTheEncodingRules() {
        assertArrayEquals(new byte[] {0x04, 0x01, 0x07}, Der.octetString(new byte[] {7}));
        assertEquals(3 + 200, Der.octetString(new byte[200]).length, "long form, one length byte");
        assertArrayEquals(new byte[] {0x04, (byte) 0x82, 0x01, 0x2c}, java.util.Arrays.copyOf(Der.octetString(new byte[300]), 4));
        assertArrayEquals(new byte[] {0x06, 0x03, 0x55, 0x1d, 0x11}, Der.oid("2.5.29.17"));
        assertArrayEquals(new byte[] {0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x04, 0x03, 0x02},
                Der.oid("1.2.840.10045.4.3.2"));
        assertArrayEquals(new byte[] {0x02, 0x02, 0x00, (byte) 0x80}, Der.integer(BigInteger.valueOf(128)));
        ZonedDateTime before2050 = ZonedDateTime.of(2049, 12, 31, 23, 59, 59, 0, ZoneOffset.UTC);
        byte[] utcTime = Der.time(before2050);
        assertEquals(0x17, utcTime[0], "UTCTime");
        assertEquals("491231235959Z", new String(utcTime, 2, utcTime[1], java.nio.charset.StandardCharsets.US_ASCII));
        ZonedDateTime from2050 = Instant.parse("2050-01-01T00:00:00Z").atZone(ZoneOffset.UTC);
        byte[] generalizedTime = Der.time(from2050);
        assertEquals(0x18, generalizedTime[0], "GeneralizedTime");
        assertEquals("20500101000000Z", new String(generalizedTime, 2, generalizedTime[1], java.nio.charset.StandardCharsets.US_ASCII));
    }
}
