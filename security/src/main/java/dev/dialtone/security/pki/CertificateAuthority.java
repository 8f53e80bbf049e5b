package dev.dialtone.security.pki;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * A throwaway certificate authority (ECDSA P-256) for the lab and tests: it issues leaf
 * certificates carrying SPIFFE URI SANs and writes PEM files. Not for production PKI.
 */
public final class CertificateAuthority {
  private final KeyPair keyPair;
  private final X509Certificate certificate;
  private final SecureRandom random;

  /**
   * How far before its issue a certificate is valid: a peer whose clock runs behind (minutes, after
   * a bad NTP step) must still accept a certificate issued just now, as public CAs backdate too.
   */
  static final Duration BACKDATE = Duration.ofHours(1);

  private CertificateAuthority(KeyPair keyPair, X509Certificate certificate, SecureRandom random) {
    this.keyPair = keyPair;
    this.certificate = certificate;
    this.random = random;
  }

  /** Creates a self-signed CA named {@code CN=<name>} valid from now for {@code validity}. */
  public static CertificateAuthority create(String name, Instant now, Duration validity, SecureRandom random) {
    try {
      KeyPair keys = newKeyPair(random);
      X500Name subject = new X500Name("CN=" + name);
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  subject, serial(random), Date.from(now.minus(BACKDATE)), Date.from(now.plus(validity)), subject, keys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
      return new CertificateAuthority(keys, sign(builder, keys), random);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("could not create CA " + name, e);
    }
  }

  /** The CA's certificate, to put in trust bundles. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** What a leaf certificate should say about its holder. */
  public record LeafSpec(String commonName, List<URI> uris, List<String> dnsNames, List<String> ipAddresses,
      Instant notBefore, Instant notAfter) {
    public LeafSpec {
      uris = List.copyOf(uris);
      dnsNames = List.copyOf(dnsNames);
      ipAddresses = List.copyOf(ipAddresses);
    }

    /** A certificate for a loopback peer (client and server use), valid for {@code validity} from {@code now}. */
    public static LeafSpec loopback(String commonName, URI spiffeId, Instant now, Duration validity) {
      return new LeafSpec(commonName, List.of(spiffeId), List.of("localhost"), List.of("127.0.0.1"),
          now.minus(BACKDATE), now.plus(validity));
    }
  }

  /** A private key with its certificate chain (leaf first, then the CA). */
  public record Issued(KeyPair keyPair, X509Certificate certificate, X509Certificate issuer) {

    /** Writes {@code <name>.crt} (chain) and {@code <name>.key} (PKCS#8, owner-only) into {@code dir}. */
    public PemFiles written(Path dir, String name) {
      Path crt = dir.resolve(name + ".crt");
      Path key = dir.resolve(name + ".key");
      writeAtomically(crt, pem(certificate) + pem(issuer), false);
      writeAtomically(key, pem(new PemObject("PRIVATE KEY", keyPair.getPrivate().getEncoded())), true);
      return new PemFiles(crt, key);
    }

    /** Where a certificate chain and its key were written. */
    public record PemFiles(Path certificateChain, Path privateKey) {}
  }

  /** Issues a leaf certificate for client and server authentication. */
  public Issued issue(LeafSpec spec) {
    try {
      KeyPair keys = newKeyPair(random);
      List<GeneralName> names = new ArrayList<>();
      for (URI uri : spec.uris()) {
        names.add(new GeneralName(GeneralName.uniformResourceIdentifier, uri.toString()));
      }
      for (String dns : spec.dnsNames()) {
        names.add(new GeneralName(GeneralName.dNSName, dns));
      }
      for (String ip : spec.ipAddresses()) {
        names.add(new GeneralName(GeneralName.iPAddress, InetAddress.getByName(ip).getHostAddress()));
      }
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  certificate, serial(random), Date.from(spec.notBefore()), Date.from(spec.notAfter()),
                  new X500Name("CN=" + spec.commonName()), keys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
              .addExtension(Extension.extendedKeyUsage, false,
                  new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
              .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)))
              .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate));
      return new Issued(keys, sign(builder, keyPair), certificate);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("could not issue a certificate for " + spec.commonName(), e);
    }
  }

  /** Writes the CA certificate as a PEM trust bundle. */
  public Path writeTrustBundle(Path file) {
    writeAtomically(file, pem(certificate), false);
    return file;
  }

  private static KeyPair newKeyPair(SecureRandom random) throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), random);
    return generator.generateKeyPair();
  }

  private static BigInteger serial(SecureRandom random) {
    return new BigInteger(127, random).add(BigInteger.ONE);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer) throws GeneralSecurityException {
    try {
      var contentSigner = new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate());
      return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
    } catch (org.bouncycastle.operator.OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  static String pem(Object object) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  // Rotation must never let a reader see half a file: write beside it, then rename over it.
  static void writeAtomically(Path file, String content, boolean ownerOnly) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
      if (ownerOnly) {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      }
      Files.writeString(tmp, content, StandardCharsets.US_ASCII);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + file, e);
    }
  }
}
