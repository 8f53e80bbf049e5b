package dev.dialtone.lab;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LabCampaignTest {
  @Test
  void aFencedPlansNotificationNamesEveryActuatorThatRefusedIt() {
    // As FencedWriteNotice words it: the plan's epoch in parentheses first, then the refused steps.
    String summary = "cp-2's writes for plan p-17 (epoch 4) were refused: a newer leader owns the targets"
        + " (dns: dns: epoch 4 is stale: the target is owned by epoch 5; carrier: carrier: epoch 4 is stale: the target is"
        + " owned by epoch 5)";

    assertThat(LabCampaign.refusedActuators(summary)).containsExactly("dns", "carrier");
    assertThat(LabCampaign.refusedActuators("cp-2's writes for plan p-18 (epoch 4) were refused: a newer leader owns the targets"))
        .containsExactly("unnamed");
  }
}
