package dev.dialtone.chaos.testing;

import org.apache.curator.framework.CuratorFramework;

/** Starts a Curator client and waits for its connection (each replica in a test has its own). */
public final class StartedClients {
  private StartedClients() {}

  public static CuratorFramework started(CuratorFramework client) throws InterruptedException {
    client.start();
    client.blockUntilConnected();
    return client;
  }
}
