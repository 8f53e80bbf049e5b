package dev.dialtone.dns.provider;

import dev.dialtone.actuation.ActuationException;
import dev.dialtone.dns.record.RecordKey;
import java.util.Collection;

/**
 * One DNS server or service Dialtone writes to. Implementations classify their errors as
 * {@link ActuationException.Failure} and report a lost compare-and-set as {@link
 * PreconditionFailedException}.
 */
public interface DnsProvider extends AutoCloseable {

  /** The provider's name, e.g. {@code rfc2136}; the actuator is called {@code dns/<name>}. */
  String name();

  /** Reads the current RRsets for {@code keys} from the server (absent keys have none). */
  ZoneSnapshot read(Collection<RecordKey> keys) throws ActuationException;

  /**
   * Applies {@code change} atomically, only if every precondition holds at the server, and
   * returns once the server reports it applied.
   *
   * @throws PreconditionFailedException if a precondition did not hold; nothing changed
   */
  void apply(ChangeSet change) throws ActuationException;

  @Override
  default void close() {}
}
