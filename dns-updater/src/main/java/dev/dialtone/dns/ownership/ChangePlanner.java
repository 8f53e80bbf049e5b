package dev.dialtone.dns.ownership;

import dev.dialtone.dns.provider.ChangeSet;
import dev.dialtone.dns.provider.Precondition;
import dev.dialtone.dns.provider.ZoneSnapshot;
import dev.dialtone.dns.record.RecordKey;
import dev.dialtone.dns.record.RecordSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides, purely from what was read, what a shift sends: the changed RRsets plus, for every
 * managed name, the ownership record moved to the caller's epoch under a precondition on its
 * exact current value. Refuses when a newer epoch owns a name (fencing) or when a name belongs
 * to another deployment or holds data nobody owns.
 */
public final class ChangePlanner {
  private final String deployment;
  private final Set<String> names;
  private final Set<RecordKey> managedKeys;
  private final Duration ownerTtl;

  /**
   * @param names the managed names
   * @param managedKeys every (name, type) Dialtone may write, including types currently empty
   * @param ownerTtl the ownership records' TTL
   */
  public ChangePlanner(String deployment, Collection<String> names, Collection<RecordKey> managedKeys, Duration ownerTtl) {
    this.deployment = deployment;
    this.names = new TreeSet<>(names);
    this.managedKeys = new TreeSet<>(managedKeys);
    this.ownerTtl = ownerTtl;
  }

  /** Every key to read before planning: the managed RRsets and their ownership records. */
  public List<RecordKey> keysToRead() {
    List<RecordKey> keys = new ArrayList<>(managedKeys);
    names.forEach(n -> keys.add(OwnerRecord.keyFor(n)));
    return keys;
  }

  /** Ownership as read: the highest epoch of ours, or the first foreign name with why. */
  public ChangePlan checkOwnership(ZoneSnapshot current, long epoch) {
    for (String name : names) {
      Optional<RecordSet> owner = current.get(OwnerRecord.keyFor(name));
      if (owner.isEmpty()) {
        List<RecordKey> data =
            managedKeys.stream().filter(k -> k.name().equals(name) && current.get(k).isPresent()).toList();
        if (!data.isEmpty()) {
          return new ChangePlan.Foreign(
              name, name + " holds " + data + " but no ownership record: not Dialtone's, left untouched");
        }
        continue;
      }
      List<String> values = owner.get().data();
      Optional<OwnerRecord> parsed = values.size() == 1 ? OwnerRecord.parse(values.get(0)) : Optional.empty();
      if (parsed.isEmpty() || !parsed.get().deployment().equals(deployment)) {
        return new ChangePlan.Foreign(
            name, name + " is owned by " + values + ", not deployment " + deployment + ": left untouched");
      }
      if (parsed.get().epoch() > epoch) {
        return new ChangePlan.Fenced(
            parsed.get().epoch(),
            name + " is owned by epoch " + parsed.get().epoch() + ", newer than " + epoch);
      }
    }
    return new ChangePlan.UpToDate("every name is ours or free");
  }

  /** The plan that makes {@code current} hold {@code desired} under {@code epoch}. */
  public ChangePlan plan(ZoneSnapshot current, Map<RecordKey, RecordSet> desired, long epoch) {
    for (RecordKey key : desired.keySet()) {
      if (!managedKeys.contains(key)) {
        throw new IllegalArgumentException(key + " is not a managed record");
      }
    }
    ChangePlan ownership = checkOwnership(current, epoch);
    if (!(ownership instanceof ChangePlan.UpToDate)) {
      return ownership;
    }
    OwnerRecord ours = new OwnerRecord(deployment, epoch);
    List<Precondition> preconditions = new ArrayList<>();
    List<RecordSet> upserts = new ArrayList<>();
    List<RecordSet> deletes = new ArrayList<>();
    boolean ownersCurrent = true;
    for (String name : names) {
      RecordKey ownerKey = OwnerRecord.keyFor(name);
      RecordSet before = current.get(ownerKey).orElse(null);
      RecordSet after = new RecordSet(ownerKey, ownerTtl, List.of(ours.txtData()));
      preconditions.add(new Precondition(ownerKey, before));
      ownersCurrent &= after.equals(before);
      upserts.add(after);
    }
    List<String> changed = new ArrayList<>();
    for (RecordKey key : managedKeys) {
      Optional<RecordSet> now = current.get(key);
      RecordSet want = desired.get(key);
      if (want != null && !Optional.of(want).equals(now)) {
        upserts.add(want);
        changed.add(key.toString());
      } else if (want == null && now.isPresent()) {
        deletes.add(now.get());
        changed.add("-" + key);
      }
    }
    if (changed.isEmpty() && ownersCurrent) {
      return new ChangePlan.UpToDate("zone already holds the desired records under epoch " + epoch);
    }
    String reason =
        changed.isEmpty()
            ? "records already as desired; ownership moves to epoch " + epoch
            : "changing " + changed + " under epoch " + epoch;
    return new ChangePlan.Apply(new ChangeSet(preconditions, upserts, deletes), reason);
  }
}
