package dev.dialtone.chaos.store;

import dev.dialtone.chaos.drill.DrillCatalog;
import dev.dialtone.chaos.drill.DrillDefinition;
import java.util.List;

/**
 * The deployment's drill set, shared by every replica: applied and deleted by the leader (fenced
 * by its epoch), read by all. A directory of drill files only seeds it.
 */
public interface DrillStore extends AutoCloseable {
  /** What an apply did. */
  enum Outcome { CREATED, UPDATED, UNCHANGED }

  /** The drill applied and what became of it. */
  record Applied(DrillDefinition drill, Outcome outcome) {}

  /** What seeding did with one file. */
  record Seeded(DrillCatalog.DrillFile file, String outcome) {}

  /**
   * Validates {@code yaml} (problems name {@code source}, line and field) and stores it under its
   * drill's name, replacing a drill of that name; clears a deletion tombstone.
   *
   * @throws dev.dialtone.config.ConfigException if the text is not a valid drill here; nothing is written
   */
  Applied apply(String source, String yaml, String appliedBy, long epoch) throws DrillStoreException;

  /** Deletes the named drill and leaves a tombstone; false if there is none by that name. */
  boolean delete(String name, String deletedBy, long epoch) throws DrillStoreException;

  /**
   * Stores each file's drill unless one of that name is stored or was deleted: a seed directory
   * never overrides what operators applied or deleted.
   */
  List<Seeded> seed(List<DrillCatalog.DrillFile> files, long epoch) throws DrillStoreException;

  /** The valid drills as last seen, by name. */
  List<DrillDefinition> drills();

  /** Every stored drill as last seen, by name, with its text. */
  List<StoredDrill> stored();

  @Override
  void close();
}
