package dev.dialtone.dns.provider.inmemory;

import dev.dialtone.dns.provider.DnsProvider;
import dev.dialtone.dns.provider.DnsProviderContract;

class InMemoryDnsProviderTest extends DnsProviderContract {
  private final InMemoryDnsProvider provider = new InMemoryDnsProvider();

  @Override
  protected DnsProvider provider() {
    return provider;
  }

  @Override
  protected String zone() {
    return "example.com.";
  }
}
