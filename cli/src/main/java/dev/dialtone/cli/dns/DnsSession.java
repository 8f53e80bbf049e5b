package dev.dialtone.cli.dns;

import dev.dialtone.actuation.ActuationException;
import dev.dialtone.actuation.Sleeper;
import dev.dialtone.dns.actuator.DnsActuator;
import dev.dialtone.config.ConfigException;
import dev.dialtone.dns.config.DnsConfigFile;
import dev.dialtone.dns.provider.DnsProvider;
import dev.dialtone.dns.provider.DnsProviders;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.SplittableRandom;

/** The configuration, provider and actuator one break-glass command works with. */
final class DnsSession implements AutoCloseable {
  /** Exit status for a configuration the command refuses (sysexits.h EX_CONFIG). */
  static final int EXIT_CONFIG = 78;

  final DnsConfigFile.Loaded config;
  final DnsProvider provider;
  final DnsActuator actuator;

  private DnsSession(DnsConfigFile.Loaded config) {
    this.config = config;
    this.provider = DnsProviders.create(config.dns(), Clock.systemUTC(), Sleeper.system(), new SplittableRandom());
    this.actuator =
        new DnsActuator(provider, config.dns(), config.regions(), Clock.systemUTC(), Sleeper.system(), new SplittableRandom());
  }

  /** Opens {@code file}, or prints why not to {@code err} and returns {@code null}. */
  static DnsSession open(Path file, PrintWriter err) {
    try {
      return new DnsSession(DnsConfigFile.load(file));
    } catch (ConfigException e) {
      e.problems().forEach(p -> err.println("dialtone dns: bad configuration: " + p));
      return null;
    } catch (UncheckedIOException | IllegalArgumentException e) {
      err.println("dialtone dns: bad configuration: " + file + ": " + e.getMessage());
      return null;
    }
  }

  /** Prints an actuation failure with its class (transient, permanent, fenced) and returns the exit status. */
  static int failed(PrintWriter err, ActuationException e) {
    err.println("dialtone dns: " + e.failure() + ": " + e.getMessage());
    return e.failure() == ActuationException.Failure.FENCED ? DnsApplyCommand.EXIT_FENCED : 1;
  }

  @Override
  public void close() {
    provider.close();
  }
}
