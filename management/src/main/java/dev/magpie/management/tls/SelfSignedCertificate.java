package dev.magpie.management.tls;

import dev.magpie.management.store.AtomicFile;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Makes the certificate a local plane serves when none is configured: an EC P-256 key (fast to make)
 * and a certificate naming localhost and the loopback addresses, because HTTPS clients check the name
 * they dialled against the subject alternative names, IP addresses included.
 *
 * <p>The JDK signs but has no public API to build a certificate, so the certificate's few fields are
 * written here in DER (RFC 5280), then read back and verified by the JDK's own X.509 parser before
 * anything is saved. That keeps a cryptography library of several megabytes out of the plane.
 */
public final class SelfSignedCertificate {

    private static final Duration VALIDITY = Duration.ofDays(825);
    private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
    private static final String COMMON_NAME = "2.5.4.3";
    private static final String KEY_USAGE = "2.5.29.15";
    private static final String SUBJECT_ALT_NAME = "2.5.29.17";
    private static final String BASIC_CONSTRAINTS = "2.5.29.19";
    private static final String EXTENDED_KEY_USAGE = "2.5.29.37";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

    private SelfSignedCertificate() {
    }

    public static void write(Path certFile, Path keyFile, List<String> extraHosts) throws IOException {
        try {
            SecureRandom random = new SecureRandom();
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair keys = generator.generateKeyPair();
            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC).withNano(0);
            byte[] name = Der.sequence(Der.set(Der.sequence(Der.oid(COMMON_NAME),
                    Der.utf8("Magpie management (self-signed)"))));
            byte[] algorithm = Der.sequence(Der.oid(ECDSA_WITH_SHA256));
            byte[] tbs = Der.sequence(
                    Der.element(0xa0, Der.integer(BigInteger.TWO)), // version 3
                    Der.integer(new BigInteger(63, random).add(BigInteger.ONE)),
                    algorithm,
                    name,
                    Der.sequence(Der.time(now.minus(Duration.ofMinutes(5))), Der.time(now.plus(VALIDITY))),
                    name,
                    keys.getPublic().getEncoded(), // already a DER SubjectPublicKeyInfo
                    Der.element(0xa3, Der.sequence(
                            extension(SUBJECT_ALT_NAME, false, subjectAlternativeNames(extraHosts)),
                            extension(BASIC_CONSTRAINTS, true, Der.sequence()), // not a CA
                            extension(KEY_USAGE, true, Der.bitString(7, new byte[] {(byte) 0x80})), // digitalSignature
                            extension(EXTENDED_KEY_USAGE, false, Der.sequence(Der.oid(SERVER_AUTH))))));
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(keys.getPrivate(), random);
            signer.update(tbs);
            byte[] certificate = Der.sequence(tbs, algorithm, Der.bitString(0, signer.sign()));
            X509Certificate parsed = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(certificate));
            parsed.verify(keys.getPublic());
            new AtomicFile(keyFile).write(pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
            new AtomicFile(certFile).write(pem("CERTIFICATE", parsed.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IOException("Cannot generate a self-signed certificate: " + e.getMessage(), e);
        }
    }

    private static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octetString(value))
                : Der.sequence(Der.oid(oid), Der.octetString(value));
    }

    /** GeneralNames: dNSName is [2] IA5String, iPAddress is [7] OCTET STRING (4 or 16 bytes). */
    private static byte[] subjectAlternativeNames(List<String> extraHosts) throws IOException {
        List<String> hosts = new ArrayList<>(List.of("localhost", "127.0.0.1", "::1"));
        hosts.addAll(extraHosts);
        List<byte[]> names = new ArrayList<>();
        for (String host : hosts) {
            boolean ip = host.matches("[0-9.]+") || host.contains(":");
            names.add(ip ? Der.element(0x87, InetAddress.getByName(host).getAddress()) // a literal: no lookup
                    : Der.element(0x82, host.getBytes(StandardCharsets.US_ASCII)));
        }
        return Der.sequence(names.toArray(byte[][]::new));
    }

    private static byte[] pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return ("-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n")
                .getBytes(StandardCharsets.US_ASCII);
    }
}
