package dev.dialtone.carrier.kamailio;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.dialtone.carrier.CarrierConfig;
import dev.dialtone.config.Secret;
import dev.dialtone.config.constraint.Checked;
import dev.dialtone.config.constraint.HttpUrl;
import dev.dialtone.config.constraint.Identifier;
import dev.dialtone.config.constraint.PositiveDuration;
import dev.dialtone.config.constraint.Rules;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;

/**
 * A Kamailio edge, driven over the network only: its PostgreSQL database (the dispatcher and
 * {@code dialtone_htable} tables Kamailio loads, and the {@code dialtone_owner} row) and its
 * JSON-RPC. There is deliberately no file setting: the control plane never shares a file system
 * with Kamailio.
 *
 * <pre>{@code
 * carrier:
 *   - kamailio:
 *       rpcUrl: "http://10.0.0.5:5071/RPC"
 *       rpcToken: "file:/etc/dialtone/kamailio-rpc.token"
 *       database:
 *         jdbcUrl: "jdbc:postgresql://db.example.com:5432/kamailio"
 *         user: dialtone
 *         password: "env:KAMAILIO_DB_PASSWORD"
 *       setId: 1
 *       rpcTimeout: 2s
 * }</pre>
 *
 * @param name the actuator is {@code carrier/<name>} (default {@code kamailio})
 * @param rpcUrl Kamailio's JSON-RPC over HTTP ({@code xhttp} + {@code jsonrpcs}), e.g. {@code http://10.0.0.5:5071/RPC}
 * @param rpcToken the bearer token Kamailio's {@code DIALTONE_RPC_TOKEN} expects
 * @param database where Kamailio loads its routing from
 * @param setId the dispatcher set inbound calls use (default 1); sets {@code setId + 1} on hold
 *     the per-number chains, in number order
 * @param rpcTimeout bounds every RPC and every database connect, statement and lock wait (default 2 s)
 */
// Bound on its own too (a provider's own file or test): the kind wrapper is CarrierConfig's business.
@JsonTypeInfo(use = JsonTypeInfo.Id.NONE)
public record KamailioConfig(
    @Identifier String name,
    @NotNull(message = "is required: Kamailio's JSON-RPC URL, e.g. http://10.0.0.5:5071/RPC") @HttpUrl String rpcUrl,
    @NotNull(message = "is required: the bearer token of Kamailio's DIALTONE_RPC_TOKEN, as file:/path or env:NAME")
    Secret rpcToken,
    @NotNull(message = "is required: the PostgreSQL database Kamailio loads its dispatcher and htable from")
    @Valid Database database,
    @Min(value = 1, message = "must be at least 1") Integer setId,
    @PositiveDuration Duration rpcTimeout) implements CarrierConfig {
  public static final String DEFAULT_NAME = "kamailio";
  public static final int DEFAULT_SET_ID = 1;
  public static final Duration DEFAULT_RPC_TIMEOUT = Duration.ofSeconds(2);

  public KamailioConfig {
    name = name == null ? DEFAULT_NAME : name;
    setId = setId == null ? DEFAULT_SET_ID : setId;
    rpcTimeout = rpcTimeout == null ? DEFAULT_RPC_TIMEOUT : rpcTimeout;
  }

  /**
   * Kamailio's database, as the control plane reaches it.
   *
   * @param jdbcUrl {@code jdbc:postgresql://host[:port]/database}, without credentials
   * @param user the database user
   * @param password its password, or none (e.g. trust or certificate authentication)
   */
  public record Database(
      @NotNull(message = "is required, e.g. jdbc:postgresql://db.example.com:5432/kamailio") String jdbcUrl,
      @NotNull(message = "is required: the database user the control plane writes routing as") String user,
      Secret password) implements Checked {
    static final String PREFIX = "jdbc:postgresql://";

    @Override
    public void check(Rules rules) {
      if (jdbcUrl == null) {
        return;
      }
      if (rules.require(jdbcUrl.startsWith(PREFIX) && jdbcUrl.length() > PREFIX.length(), "jdbcUrl",
          "is refused: must start with jdbc:postgresql:// (e.g. jdbc:postgresql://db.example.com:5432/kamailio)")) {
        rules.require(!jdbcUrl.toLowerCase(java.util.Locale.ROOT).matches(".*[?&]password=.*"), "jdbcUrl",
            "must not carry a password: set database.password to file:/path or env:NAME");
      }
    }

    /** The URL without its query, safe for messages. */
    public String shown() {
      int q = jdbcUrl.indexOf('?');
      return q < 0 ? jdbcUrl : jdbcUrl.substring(0, q);
    }
  }

  /** A config with the defaults. */
  public static KamailioConfig of(String rpcUrl, Secret rpcToken, Database database) {
    return new KamailioConfig(null, rpcUrl, rpcToken, database, null, null);
  }

  public URI rpcUri() {
    return URI.create(rpcUrl);
  }

  @Override
  public String actuatorName() {
    return "carrier/" + name;
  }
}
