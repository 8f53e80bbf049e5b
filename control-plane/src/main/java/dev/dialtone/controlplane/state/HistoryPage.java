package dev.dialtone.controlplane.state;

import java.util.List;

/** Newest first; {@code nextPageToken} is empty on the last page. */
public record HistoryPage(List<HistoryEntry> entries, String nextPageToken) {
  public HistoryPage {
    entries = List.copyOf(entries);
  }
}
