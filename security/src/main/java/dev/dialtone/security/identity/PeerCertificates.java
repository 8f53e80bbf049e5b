package dev.dialtone.security.identity;

import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/** Reads the verified peer's identity out of a TLS session. */
public final class PeerCertificates {
  private PeerCertificates() {}

  private static final int URI_SAN = 6;

  /** The URI SANs of the peer's leaf certificate; empty without TLS or without a client certificate. */
  public static List<String> uriSans(SSLSession session) {
    if (session == null) {
      return List.of();
    }
    try {
      Certificate[] chain = session.getPeerCertificates();
      if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
        return List.of();
      }
      return uriSans(leaf);
    } catch (SSLPeerUnverifiedException noClientCertificate) {
      return List.of();
    }
  }

  /** The URI SANs of {@code certificate}; empty if it has none or they cannot be parsed. */
  public static List<String> uriSans(X509Certificate certificate) {
    try {
      Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
      List<String> uris = new ArrayList<>();
      if (sans != null) {
        for (List<?> san : sans) {
          if (san.size() == 2 && Integer.valueOf(URI_SAN).equals(san.get(0))) {
            uris.add(String.valueOf(san.get(1)));
          }
        }
      }
      return uris;
    } catch (CertificateParsingException e) {
      return List.of();
    }
  }

  /** The Dialtone SPIFFE ids among {@code certificate}'s URI SANs. */
  public static List<SpiffeId> spiffeIds(X509Certificate certificate) {
    return uriSans(certificate).stream().flatMap(uri -> SpiffeId.parse(uri).stream()).toList();
  }
}
