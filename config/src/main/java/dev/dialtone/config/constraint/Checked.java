package dev.dialtone.config.constraint;

/**
 * A config section with rules across its fields (two ports that must differ, a backoff whose
 * initial wait is below its maximum, a key that must match its certificate). Bean Validation runs
 * {@link #check(Rules)} on every bound section that implements it; each refusal names the field
 * relative to the section.
 */
@CrossField
public interface Checked {
  /** Reports every broken rule to {@code rules}; must not throw. */
  void check(Rules rules);
}
