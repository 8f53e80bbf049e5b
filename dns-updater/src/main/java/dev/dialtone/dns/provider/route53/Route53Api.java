package dev.dialtone.dns.provider.route53;

import java.util.List;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeStatus;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.route53.model.RRType;

/** The few Route 53 calls Dialtone makes: the seam between the provider and the AWS SDK. */
public interface Route53Api extends AutoCloseable {

  /** {@code ListResourceRecordSets} starting at {@code name}/{@code type}, at most {@code max} sets. */
  List<ResourceRecordSet> list(String hostedZoneId, String name, RRType type, int max);

  /** {@code ChangeResourceRecordSets} with one batch; returns the change id. */
  String change(String hostedZoneId, String comment, List<Change> changes);

  /** {@code GetChange}: {@code PENDING} or {@code INSYNC}. */
  ChangeStatus status(String changeId);

  @Override
  default void close() {}
}
