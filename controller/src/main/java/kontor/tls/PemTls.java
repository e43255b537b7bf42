package kontor.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS from PEM files with plain JDK APIs: a verifying client socket factory (the broker connection)
 * and a key store for a server (the gateway's HTTPS). There is deliberately no trust-all mode.
 */
public final class PemTls {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");

    private PemTls() { }

    /**
     * @param caFile   PEM certificates trusted to sign the server's certificate, or null for the JDK's trust store
     * @param certFile PEM client certificate chain, or null
     * @param keyFile  PEM PKCS#8 private key for {@code certFile}, or null
     * @throws IllegalArgumentException with a clear sentence when a file is missing or not what it should be
     */
    public static SSLSocketFactory socketFactory(Path caFile, Path certFile, Path keyFile) {
        return sslContext(caFile, certFile, keyFile).getSocketFactory();
    }

    /** The verifying client context behind {@link #socketFactory} (for an HTTP client, say); same arguments. */
    public static SSLContext sslContext(Path caFile, Path certFile, Path keyFile) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (caFile == null) {
                tmf.init((KeyStore) null);
            } else {
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                List<Certificate> cas = certificates(caFile);
                for (int i = 0; i < cas.size(); i++) {
                    trust.setCertificateEntry("ca-" + i, cas.get(i));
                }
                tmf.init(trust);
            }
            KeyManager[] keyManagers = null;
            if (certFile != null) {
                char[] transientPassword = TRANSIENT_PASSWORD.clone();
                KeyStore keys = keyStore(certFile, keyFile, transientPassword);
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, transientPassword);
                keyManagers = kmf.getKeyManagers();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /**
     * A key store in memory holding the PEM key and its certificate chain, under {@code password}
     * (it never reaches a disk, so the password only satisfies the API).
     *
     * @throws IllegalArgumentException with a clear sentence when a file is missing or not what it should be
     */
    public static KeyStore keyStore(Path certFile, Path keyFile, char[] password) {
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("kontor", privateKey(keyFile), password, certificates(certFile).toArray(Certificate[]::new));
            return keys;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot read the key " + keyFile + " and certificate " + certFile + ": " + e.getMessage(), e);
        }
    }

    /** The password of key stores that live only in memory. */
    public static final char[] TRANSIENT_PASSWORD = "kontor".toCharArray();

    static List<Certificate> certificates(Path file) throws GeneralSecurityException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<Certificate> out = new ArrayList<>();
        for (Block b : blocks(file)) {
            if (b.type().equals("CERTIFICATE")) {
                out.add(factory.generateCertificate(new ByteArrayInputStream(b.der())));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no PEM certificate");
        }
        return out;
    }

    static PrivateKey privateKey(Path file) throws GeneralSecurityException {
        for (Block b : blocks(file)) {
            if (b.type().equals("PRIVATE KEY")) {
                PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(b.der());
                for (String algorithm : List.of("RSA", "EC", "Ed25519", "EdDSA")) {
                    try {
                        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
                    } catch (GeneralSecurityException wrongAlgorithm) {
                        // try the next one
                    }
                }
                throw new IllegalArgumentException(file + ": private key is neither RSA, EC nor EdDSA");
            }
            if (b.type().endsWith("PRIVATE KEY")) {
                throw new IllegalArgumentException(file + " holds a " + b.type()
                        + "; convert it to PKCS#8 with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
            }
        }
        throw new IllegalArgumentException(file + " holds no PEM private key");
    }

    private record Block(String type, byte[] der) { }

    private static List<Block> blocks(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new IllegalArgumentException("cannot read " + file, e);
        }
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            try {
                out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2).trim())));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": broken PEM block " + m.group(1), e);
            }
        }
        return out;
    }
}
