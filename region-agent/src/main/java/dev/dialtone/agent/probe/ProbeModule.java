package dev.dialtone.agent.probe;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.dialtone.agent.config.AgentConfig;
import dev.dialtone.agent.probe.llm.LlmProbe;
import dev.dialtone.agent.probe.postgres.PostgresProbe;
import dev.dialtone.agent.probe.redis.RedisProbe;
import dev.dialtone.agent.probe.sip.SipOptionsProbe;
import dev.dialtone.agent.probe.sip.SipUri;
import dev.dialtone.agent.time.Ticker;
import dev.dialtone.proto.v1.DependencyKind;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/** Builds one probe per configured dependency and one SIP probe per vantage target. */
public final class ProbeModule extends AbstractModule {

  @Provides
  @Singleton
  List<ProbeScheduler.ScheduledProbe> probes(
      AgentConfig config, Ticker ticker, RandomGenerator random) {
    List<ProbeScheduler.ScheduledProbe> probes = new ArrayList<>();
    for (AgentConfig.ProbeConfig p : config.probes()) {
      DependencyKind kind;
      Probe probe;
      String target;
      if (p.llm() != null) {
        kind = DependencyKind.DEPENDENCY_KIND_LLM;
        target = p.llm().baseUrl();
        probe = new LlmProbe(URI.create(target), p.llm().mode(), p.llm().model(), p.llm().apiKey().reveal(), p.timeout(), ticker);
      } else if (p.postgres() != null) {
        kind = DependencyKind.DEPENDENCY_KIND_DB;
        target = p.postgres().jdbcUrl();
        String password = p.postgres().password() == null ? null : p.postgres().password().reveal();
        probe = new PostgresProbe(target, p.postgres().user(), password, p.postgres().replicationLagAbove());
      } else if (p.redis() != null) {
        kind = DependencyKind.DEPENDENCY_KIND_CACHE;
        target = p.redis().uri();
        probe = new RedisProbe(URI.create(target), p.redis().password() == null ? null : p.redis().password().reveal(),
            p.redis().probeKey(), p.redis().probeKeyTtl());
      } else {
        kind = DependencyKind.DEPENDENCY_KIND_CARRIER;
        target = p.sip().uri();
        probe = new SipOptionsProbe(SipUri.parse(target), ticker, random);
      }
      ProbeSpec spec = new ProbeSpec(p.name(), kind, p.critical(), p.interval(), p.timeout(),
          p.degradedAbove(), p.failAfter(), p.recoverAfter(), null, target);
      probes.add(new ProbeScheduler.ScheduledProbe(spec, probe));
    }
    for (AgentConfig.Vantage v : config.vantage()) {
      ProbeSpec spec = new ProbeSpec("vantage:" + v.region(), DependencyKind.DEPENDENCY_KIND_CARRIER, false,
          v.interval(), v.timeout(), null, v.failAfter(), v.recoverAfter(), v.region(), v.uri());
      probes.add(new ProbeScheduler.ScheduledProbe(spec, new SipOptionsProbe(SipUri.parse(v.uri()), ticker, random)));
    }
    return probes;
  }
}
