package dev.dialtone.chaos.schedule;

class InMemoryDrillClaimsTest extends DrillClaimsContract {
  @Override
  protected DrillClaims claims() {
    return new InMemoryDrillClaims();
  }
}
