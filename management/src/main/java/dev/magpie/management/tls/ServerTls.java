package dev.magpie.management.tls;

import dev.magpie.management.ManagementSettings;
import dev.magpie.management.ManagementStartupException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The plane's TLS identity: the configured PEM certificate and key, or a self-signed pair generated on
 * first start in the data directory and reused afterwards, so clients that trusted it keep working.
 *
 * @param certificateFile the PEM certificate clients can trust
 * @param generated       whether the plane made it itself
 */
public record ServerTls(SslContext context, Path certificateFile, boolean generated) {

    public static final String GENERATED_CERT_FILE = "management-cert.pem";
    public static final String GENERATED_KEY_FILE = "management-key.pem";
    private static final Set<String> WILDCARDS = Set.of("0.0.0.0", "::", "", "*", "localhost", "127.0.0.1", "::1");

    public static ServerTls load(ManagementSettings settings) {
        Path cert = settings.tlsCertFile();
        Path key = settings.tlsKeyFile();
        boolean generated = false;
        if (cert == null && key == null) {
            cert = settings.dataDir().resolve("tls").resolve(GENERATED_CERT_FILE);
            key = settings.dataDir().resolve("tls").resolve(GENERATED_KEY_FILE);
            if (!Files.exists(cert) || !Files.exists(key)) {
                List<String> extraHosts = new ArrayList<>();
                if (!WILDCARDS.contains(settings.bindAddress())) {
                    extraHosts.add(settings.bindAddress());
                }
                try {
                    SelfSignedCertificate.write(cert, key, extraHosts);
                } catch (IOException e) {
                    throw new ManagementStartupException("Cannot write a self-signed certificate to "
                            + cert.toAbsolutePath().getParent() + ": " + e.getMessage(), e);
                }
                generated = true;
            }
        } else if (cert == null || key == null) {
            throw new ManagementStartupException("Set both management-tls-cert-file and management-tls-key-file, or neither");
        }
        try {
            // The JDK provider behaves the same everywhere; nothing here needs OpenSSL's speed.
            SslContext context = SslContextBuilder.forServer(cert.toFile(), key.toFile())
                    .sslProvider(SslProvider.JDK)
                    .protocols("TLSv1.3", "TLSv1.2")
                    .build();
            return new ServerTls(context, cert.toAbsolutePath(), generated);
        } catch (IOException | RuntimeException e) {
            throw new ManagementStartupException("Cannot load the TLS certificate " + cert.toAbsolutePath()
                    + " and key " + key.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }
}
