package dev.dialtone.chaos.store;

import java.time.Instant;

/**
 * A drill as stored: its YAML text exactly as applied (so it can be shown, diffed and re-validated
 * by every replica), where it came from, and who applied it under which epoch.
 *
 * @param source the file name given on apply ({@code dialtone drill apply -f}) or the seed file
 */
public record StoredDrill(String name, String source, String yaml, String appliedBy, Instant appliedAt, long epoch) {}
