package dev.dialtone.lab;

import dev.dialtone.peers.Peer;
import dev.dialtone.peers.sipp.SippUas;
import java.nio.file.Path;
import java.util.List;

/**
 * The lab's outage-mode destinations, each a SIPp UAS that answers (or refuses) as a contact
 * centre would: the support queue first, then voicemail; and the VIP number's own chain, an
 * answering service. Calls that reach each are counted.
 */
public final class LabFallbacks implements AutoCloseable {
  /** The number the lab's callers dial. */
  public static final String MAIN_NUMBER = "+15550100";
  /** A number (DID) with a chain of its own. */
  public static final String VIP_NUMBER = "+15550199";

  private final SippUas queue;
  private final SippUas voicemail;
  private final SippUas answeringService;

  LabFallbacks(Path dir) {
    this.queue = new SippUas(dir.resolve("queue"));
    this.voicemail = new SippUas(dir.resolve("voicemail"));
    this.answeringService = new SippUas(dir.resolve("answering-service"));
  }

  void start() throws Exception {
    for (Peer p : List.of(queue, voicemail, answeringService)) {
      p.start();
    }
  }

  /** The support queue, first in the main chain. */
  public SippUas queue() {
    return queue;
  }

  /** Voicemail, next in the main chain. */
  public SippUas voicemail() {
    return voicemail;
  }

  /** The VIP number's own chain. */
  public SippUas answeringService() {
    return answeringService;
  }

  @Override
  public void close() {
    for (Peer p : List.of(answeringService, voicemail, queue)) {
      try {
        p.close();
      } catch (Exception e) {
        // keep closing the others
      }
    }
  }
}
