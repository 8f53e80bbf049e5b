package dev.dialtone.dns.provider.rfc2136;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.Name;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TextParseException;

/**
 * A TSIG key as BIND's {@code tsig-keygen} writes it: {@code key "name" { algorithm hmac-sha256;
 * secret "base64"; };}. {@link #toString()} never shows the secret.
 */
public final class TsigKey {
  private static final Pattern KEY =
      Pattern.compile(
          "key\\s+\"?([A-Za-z0-9._-]+)\"?\\s*\\{\\s*algorithm\\s+\"?([A-Za-z0-9-]+)\"?\\s*;\\s*secret\\s+\"([A-Za-z0-9+/=]+)\"\\s*;\\s*}\\s*;?",
          Pattern.DOTALL);

  /** A quoted string (kept whole: a base64 secret may hold "//"), or a #, // or C-style comment. */
  private static final Pattern STRING_OR_COMMENT =
      Pattern.compile("(\"[^\"]*\")|#[^\n]*|//[^\n]*|/\\*.*?\\*/", Pattern.DOTALL);

  private final String name;
  private final String algorithm;
  private final String secret;

  /**
   * @param name the key's name, e.g. {@code dialtone-key}
   * @param algorithm e.g. {@code hmac-sha256} (also hmac-sha1/224/384/512, hmac-md5)
   * @param secret the base64 secret
   */
  public TsigKey(String name, String algorithm, String secret) {
    this.name = name;
    this.algorithm = algorithm.toLowerCase(Locale.ROOT);
    this.secret = secret;
    try {
      TSIG.algorithmToName(this.algorithm);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unsupported TSIG algorithm '" + algorithm + "' for key " + name, e);
    }
    try {
      Base64.getDecoder().decode(secret);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("TSIG key " + name + ": secret is not base64", e);
    }
  }

  private static String withoutComments(String text) {
    return STRING_OR_COMMENT.matcher(text).replaceAll(r -> r.group(1) != null ? Matcher.quoteReplacement(r.group(1)) : " ");
  }

  /** Reads the first {@code key} clause of a BIND key file. */
  public static TsigKey read(Path file) throws IOException {
    Matcher m = KEY.matcher(withoutComments(Files.readString(file, StandardCharsets.UTF_8)));
    if (!m.find()) {
      throw new IllegalArgumentException(
          file + ": no key clause of the form key \"name\" { algorithm hmac-sha256; secret \"...\"; };");
    }
    return new TsigKey(m.group(1), m.group(2), m.group(3));
  }

  public String name() {
    return name;
  }

  public String algorithm() {
    return algorithm;
  }

  /** The key's name as it appears in a TSIG record, absolute. */
  public Name dnsName() {
    try {
      return Name.fromString(name, Name.root);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("bad TSIG key name " + name, e);
    }
  }

  /** The dnsjava signer for this key. */
  public TSIG signer() {
    return new TSIG(TSIG.algorithmToName(algorithm), dnsName(), secret);
  }

  @Override
  public String toString() {
    return "TsigKey[" + name + ", " + algorithm + ", secret=***]";
  }
}
