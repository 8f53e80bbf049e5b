package dev.dialtone.security.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Checks a process's TLS files before it uses them, so a broken file is one clear line instead of
 * a handshake stack trace: the certificate file holds certificates (not a key), the key file one
 * unencrypted private key matching the certificate, the trust bundle CA certificates only.
 */
public final class TlsMaterial {
  private TlsMaterial() {}

  /** The role of each file, used as the key of {@link #problems}. */
  public enum Part { CERTIFICATE, KEY, TRUST_BUNDLE }

  /**
   * Every problem with the three files (a part absent from the map is fine); {@code null} paths are
   * skipped (absence is the caller's rule). Never throws.
   */
  public static Map<Part, String> problems(Path certificate, Path key, Path trustBundle, Instant now) {
    Map<Part, String> problems = new LinkedHashMap<>();
    List<X509Certificate> chain = List.of();
    if (certificate != null) {
      try {
        Contents c = read(certificate);
        if (!c.privateKeys.isEmpty() && c.certificates.isEmpty()) {
          problems.put(Part.CERTIFICATE, certificate + " holds a private key, not a certificate (certificate and key swapped?)");
        } else if (c.certificates.isEmpty()) {
          problems.put(Part.CERTIFICATE, certificate + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        } else {
          chain = c.certificates;
          X509Certificate leaf = chain.get(0);
          if (leaf.getNotAfter().toInstant().isBefore(now)) {
            problems.put(Part.CERTIFICATE, certificate + " expired on " + leaf.getNotAfter().toInstant());
          }
        }
      } catch (IOException | RuntimeException e) {
        problems.put(Part.CERTIFICATE, unreadable(certificate, e));
      }
    }
    if (key != null) {
      try {
        Contents c = read(key);
        if (c.encrypted) {
          problems.put(Part.KEY, key + " holds an encrypted private key; give an unencrypted PKCS#8 key (readable by this process only)");
        } else if (c.privateKeys.isEmpty()) {
          problems.put(Part.KEY, key + (c.certificates.isEmpty() ? " holds no PEM private key (-----BEGIN PRIVATE KEY-----)"
              : " holds a certificate, not a private key (certificate and key swapped?)"));
        } else if (!chain.isEmpty() && !matches(c.privateKeys.get(0), chain.get(0).getPublicKey())) {
          problems.put(Part.KEY, key + " does not match the certificate in " + certificate);
        }
      } catch (IOException | RuntimeException e) {
        problems.put(Part.KEY, unreadable(key, e));
      }
    }
    if (trustBundle != null) {
      try {
        Contents c = read(trustBundle);
        if (!c.privateKeys.isEmpty() || c.encrypted) {
          problems.put(Part.TRUST_BUNDLE, trustBundle + " holds a private key: a trust bundle is CA certificates only");
        } else if (c.certificates.isEmpty()) {
          problems.put(Part.TRUST_BUNDLE, trustBundle + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
      } catch (IOException | RuntimeException e) {
        problems.put(Part.TRUST_BUNDLE, unreadable(trustBundle, e));
      }
    }
    return problems;
  }

  private static String unreadable(Path file, Exception e) {
    if (!Files.isReadable(file)) {
      return "cannot read " + file + (Files.exists(file) ? " (permission denied)" : " (no such file)");
    }
    return file + " is not PEM (" + e.getClass().getSimpleName() + ")";
  }

  private record Contents(List<X509Certificate> certificates, List<java.security.PrivateKey> privateKeys, boolean encrypted) {}

  private static Contents read(Path file) throws IOException {
    List<X509Certificate> certs = new ArrayList<>();
    List<java.security.PrivateKey> keys = new ArrayList<>();
    boolean encrypted = false;
    JcaPEMKeyConverter keyConverter = new JcaPEMKeyConverter();
    JcaX509CertificateConverter certConverter = new JcaX509CertificateConverter();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8); PEMParser parser = new PEMParser(r)) {
      Object o;
      while ((o = parser.readObject()) != null) {
        switch (o) {
          case X509CertificateHolder h -> {
            try {
              certs.add(certConverter.getCertificate(h));
            } catch (CertificateException e) {
              throw new IOException("bad certificate", e);
            }
          }
          case PrivateKeyInfo info -> keys.add(keyConverter.getPrivateKey(info));
          case PEMKeyPair pair -> keys.add(keyConverter.getKeyPair(pair).getPrivate());
          case PEMEncryptedKeyPair p -> encrypted = true;
          case PKCS8EncryptedPrivateKeyInfo p -> encrypted = true;
          default -> { }
        }
      }
    }
    return new Contents(certs, keys, encrypted);
  }

  // Sign-free check: the private key's public part (RSA modulus / EC point) equals the certificate's.
  private static boolean matches(java.security.PrivateKey key, PublicKey pub) {
    try {
      if (key instanceof java.security.interfaces.RSAPrivateCrtKey rsa && pub instanceof java.security.interfaces.RSAPublicKey rp) {
        return rsa.getModulus().equals(rp.getModulus());
      }
      java.security.Signature s = java.security.Signature.getInstance(
          key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : key.getAlgorithm());
      byte[] data = "dialtone".getBytes(StandardCharsets.UTF_8);
      s.initSign(key);
      s.update(data);
      byte[] sig = s.sign();
      s.initVerify(pub);
      s.update(data);
      return s.verify(sig);
    } catch (java.security.GeneralSecurityException e) {
      return false;
    }
  }

  /** The first problem of any part, if any, for callers that stop at one line. */
  public static Optional<String> firstProblem(Path certificate, Path key, Path trustBundle, Instant now) {
    return problems(certificate, key, trustBundle, now).values().stream().findFirst();
  }
}
