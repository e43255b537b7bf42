package kontor.provisioning;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A site's own small certificate authority (EC P-256): it signs the broker's server certificate and one client
 * certificate per broker user. Certificates and keys are PEM; keys are unencrypted PKCS#8, the form both
 * Mosquitto (OpenSSL) and Kontor's MQTT client read.
 */
final class SiteCa {
    static final Duration CA_VALIDITY = Duration.ofDays(20 * 365);
    static final Duration LEAF_VALIDITY = Duration.ofDays(10 * 365);
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /** A certificate and its private key. */
    record Issued(X509Certificate certificate, PrivateKey key) {
        String certificatePem() {
            return pem("CERTIFICATE", encoded(certificate));
        }

        String keyPem() {
            return pem("PRIVATE KEY", key.getEncoded());
        }
    }

    private final Issued ca;
    private final SecureRandom random;

    private SiteCa(Issued ca, SecureRandom random) {
        this.ca = ca;
        this.random = random;
    }

    /** A new CA named after the site. */
    static SiteCa create(String siteId, SecureRandom random) {
        KeyPair pair = newKeyPair(random);
        X500Name name = name("Kontor site CA " + siteId);
        Instant now = Instant.now();
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(random),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(CA_VALIDITY)), name, pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
            return new SiteCa(new Issued(sign(b, pair.getPrivate()), pair.getPrivate()), random);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot create the site CA: " + e.getMessage(), e);
        }
    }

    /** The CA of earlier runs, to issue further certificates with it. */
    static SiteCa load(String certificatePem, String keyPem, SecureRandom random) {
        try {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(certificatePem.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            byte[] der = Base64.getMimeDecoder().decode(keyPem.replaceAll("-----[A-Z ]+-----", "").strip());
            PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
            return new SiteCa(new Issued(cert, key), random);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the site CA files cannot be read: " + e.getMessage(), e);
        }
    }

    Issued ca() {
        return ca;
    }

    /** The broker's certificate; {@code hosts} (names or IP addresses) go into subjectAltName, the first is the CN. */
    Issued server(List<String> hosts) {
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("the broker certificate needs at least one host name");
        }
        List<GeneralName> names = new ArrayList<>();
        for (String host : hosts) {
            names.add(isIpAddress(host) ? new GeneralName(GeneralName.iPAddress, host) : new GeneralName(GeneralName.dNSName, host));
        }
        return leaf(hosts.getFirst(), KeyPurposeId.id_kp_serverAuth, new GeneralNames(names.toArray(GeneralName[]::new)));
    }

    /** A client certificate whose CN is the broker user. */
    Issued client(String user) {
        return leaf(user, KeyPurposeId.id_kp_clientAuth, null);
    }

    private Issued leaf(String commonName, KeyPurposeId purpose, GeneralNames altNames) {
        KeyPair pair = newKeyPair(random);
        Instant now = Instant.now();
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca.certificate(), serial(random),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(LEAF_VALIDITY)), name(commonName), pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca.certificate()));
            if (altNames != null) {
                b.addExtension(Extension.subjectAlternativeName, false, altNames);
            }
            return new Issued(sign(b, ca.key()), pair.getPrivate());
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot issue a certificate for " + commonName + ": " + e.getMessage(), e);
        }
    }

    static boolean isIpAddress(String host) {
        if (IPV4.matcher(host).matches() || host.contains(":")) {
            try {
                InetAddress.getByName(host); // a literal: never a DNS lookup
                return true;
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer) throws GeneralSecurityException {
        try {
            ContentSigner s = new JcaContentSignerBuilder("SHA256withECDSA").build(signer);
            X509CertificateHolder holder = b.build(s);
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(holder.getEncoded()));
        } catch (OperatorCreationException | java.io.IOException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static KeyPair newKeyPair(SecureRandom random) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), random);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 keys are not available in this Java", e);
        }
    }

    private static X500Name name(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Kontor").addRDN(BCStyle.CN, commonName).build();
    }

    private static BigInteger serial(SecureRandom random) {
        return new BigInteger(127, random).add(BigInteger.ONE);
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
