package dev.dialtone.dns.actuator;

import dev.dialtone.dns.config.ProviderSettings;
import dev.dialtone.dns.provider.DnsProvider;
import dev.dialtone.dns.provider.inmemory.InMemoryDnsProvider;

/** The shift scenarios on the in-memory fake. */
class DnsActuatorInMemoryTest extends DnsActuatorContract {
  private final InMemoryDnsProvider provider = new InMemoryDnsProvider();

  @Override
  protected DnsProvider provider() {
    return provider;
  }

  @Override
  protected ProviderSettings settings() {
    return new ProviderSettings.InMemory();
  }

  @Override
  protected String zone() {
    return "example.com.";
  }

  @org.junit.jupiter.api.Test
  void shiftsTwiceWithinOneEpochUnderTheSameOwnerValue() throws Exception {
    shiftsTwiceWithinOneEpoch();
  }
}
