package dev.dialtone.config.constraint;

import com.google.common.net.HostAndPort;
import com.google.common.net.InetAddresses;
import com.google.common.net.InternetDomainName;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import java.lang.annotation.Annotation;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The validators behind Dialtone's format constraints. Each accepts {@code null} (absence is
 * {@code @NotNull}'s business) and, when it refuses, quotes the value and says what is allowed.
 */
public final class Formats {
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  private Formats() {}

  /** Whether {@code text} is an IPv4 address literal (never a host name). */
  public static boolean isIpv4(String text) {
    return InetAddresses.isInetAddress(text) && InetAddresses.forString(text) instanceof Inet4Address && !text.contains(":");
  }

  /** Whether {@code text} is an IPv6 address literal. */
  public static boolean isIpv6(String text) {
    return InetAddresses.isInetAddress(text) && InetAddresses.forString(text) instanceof Inet6Address;
  }

  /** Whether {@code host} is an IP literal or a syntactically valid DNS name. */
  public static boolean isHost(String host) {
    if (host == null || host.isEmpty()) {
      return false;
    }
    if (InetAddresses.isUriInetAddress(host) || InetAddresses.isInetAddress(host)) {
      return true;
    }
    // A dotted quad that is not an address (999.1.1.1) is not a host name either.
    if (host.matches("[0-9.]+")) {
      return false;
    }
    return host.equals("localhost") || InternetDomainName.isValid(host);
  }

  /** Whether {@code name} is a DNS name (a trailing dot allowed), never an address literal. */
  public static boolean isDnsName(String name) {
    String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    return InternetDomainName.isValid(n) && !n.matches("[0-9.]+");
  }

  /** Whether {@code text} is {@code host:port} with a valid host and a port in 1..65535. */
  public static boolean isHostPort(String text) {
    try {
      HostAndPort hp = HostAndPort.fromString(text);
      return hp.hasPort() && hp.getPort() >= 1 && isHost(hp.getHost());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Whether {@code text} is a {@code sip:}/{@code sips:} URI with a valid host and optional port. */
  public static boolean isSipUri(String text) {
    String lower = text.toLowerCase(java.util.Locale.ROOT);
    String rest;
    if (lower.startsWith("sip:")) {
      rest = text.substring(4);
    } else if (lower.startsWith("sips:")) {
      rest = text.substring(5);
    } else {
      return false;
    }
    int params = indexOfAny(rest, ";?");
    String hostPart = params < 0 ? rest : rest.substring(0, params);
    int at = hostPart.lastIndexOf('@');
    hostPart = at < 0 ? hostPart : hostPart.substring(at + 1);
    if (hostPart.isEmpty() || hostPart.contains("/")) {
      return false;
    }
    try {
      HostAndPort hp = HostAndPort.fromString(hostPart);
      return isHost(hp.getHost()) && (!hp.hasPort() || hp.getPort() >= 1);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Whether {@code text} is an absolute http(s) URL with a valid host. */
  public static boolean isHttpUrl(String text) {
    try {
      URI uri = new URI(text);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
          && isHost(uri.getHost().replaceAll("^\\[|\\]$", "")) && uri.getPort() <= 65535;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static int indexOfAny(String s, String chars) {
    for (int i = 0; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  /** Escapes text for a Bean Validation message template (no interpolation of operator input). */
  public static String escape(String text) {
    return text.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}").replace("$", "\\$");
  }

  /**
   * {@code value} fit to quote in an error: the user-info of a URL ({@code scheme://user:password@})
   * is masked, since a password pasted there must not come back in a message or a log.
   */
  public static String quotable(Object value) {
    return String.valueOf(value).replaceAll("(://)[^/]*@", "$1***@");
  }

  /** Refuses with "'value' " + the constraint's message. */
  static boolean refuse(ConstraintValidatorContext context, Object value, String message) {
    context.disableDefaultConstraintViolation();
    context.buildConstraintViolationWithTemplate(escape("'" + quotable(value) + "' " + message.replaceFirst("^must", "is refused: must")))
        .addConstraintViolation();
    return false;
  }

  private abstract static class StringCheck<A extends Annotation> implements ConstraintValidator<A, String> {
    private String message;

    abstract String message(A annotation);

    abstract boolean ok(String value);

    @Override
    public void initialize(A annotation) {
      message = message(annotation);
    }

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
      return value == null || ok(value) || refuse(context, value, message);
    }
  }

  /** {@link Ipv4}. */
  public static final class Ipv4Validator extends StringCheck<Ipv4> {
    @Override
    String message(Ipv4 a) {
      return a.message();
    }

    @Override
    boolean ok(String value) {
      return isIpv4(value);
    }
  }

  /** {@link Ipv6}. */
  public static final class Ipv6Validator extends StringCheck<Ipv6> {
    @Override
    String message(Ipv6 a) {
      return a.message();
    }

    @Override
    boolean ok(String value) {
      return isIpv6(value);
    }
  }

  /** {@link HostPort}. */
  public static final class HostPortValidator extends StringCheck<HostPort> {
    @Override
    String message(HostPort a) {
      return a.message();
    }

    @Override
    boolean ok(String value) {
      return isHostPort(value);
    }
  }

  /** {@link SipUri}. */
  public static final class SipUriValidator extends StringCheck<SipUri> {
    @Override
    String message(SipUri a) {
      return a.message();
    }

    @Override
    boolean ok(String value) {
      return isSipUri(value);
    }
  }

  /** {@link HttpUrl}. */
  public static final class HttpUrlValidator extends StringCheck<HttpUrl> {
    @Override
    String message(HttpUrl a) {
      return a.message();
    }

    @Override
    boolean ok(String value) {
      return isHttpUrl(value);
    }
  }

  /** {@link Identifier}. */
  public static final class IdentifierValidator extends StringCheck<Identifier> {
    @Override
    String message(Identifier a) {
      return a.message();
    }

    @Override
    boolean ok(String value) {
      return IDENTIFIER.matcher(value).matches();
    }
  }

  /** {@link ReadableFile}. */
  public static final class ReadableFileValidator implements ConstraintValidator<ReadableFile, String> {
    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
      if (value == null) {
        return true;
      }
      Path p = Path.of(value);
      if (Files.isRegularFile(p) && Files.isReadable(p)) {
        return true;
      }
      context.disableDefaultConstraintViolation();
      context.buildConstraintViolationWithTemplate(escape("cannot read " + value
          + (Files.exists(p) ? (Files.isDirectory(p) ? " (a directory, not a file)" : " (permission denied)") : " (no such file)")))
          .addConstraintViolation();
      return false;
    }
  }

  /** {@link PositiveDuration}. */
  public static final class PositiveDurationValidator implements ConstraintValidator<PositiveDuration, Duration> {
    @Override
    public boolean isValid(Duration value, ConstraintValidatorContext context) {
      return value == null || value.compareTo(Duration.ZERO) > 0
          || refuse(context, dev.dialtone.config.Durations.format(value), "must be a positive duration (e.g. 500ms, 5s)");
    }
  }
}
