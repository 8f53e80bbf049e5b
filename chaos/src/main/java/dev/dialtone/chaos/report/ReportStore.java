package dev.dialtone.chaos.report;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** Where drill reports are kept and listed (`dialtone drill report`). */
public interface ReportStore {
  /** One line of the list. */
  record Summary(String runId, String drill, String state, java.time.Instant startedAt) {}

  void save(DrillReport report) throws IOException;

  Optional<DrillReport> get(String runId) throws IOException;

  /** Every stored report, newest first. */
  List<Summary> list() throws IOException;
}
