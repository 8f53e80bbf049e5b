package dev.dialtone.dns.provider.route53;

import java.util.List;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeStatus;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.route53.model.RRType;

/** {@link Route53Api} over the AWS SDK v2 client. */
public final class SdkRoute53Api implements Route53Api {
  private final Route53Client client;

  public SdkRoute53Api(Route53Client client) {
    this.client = client;
  }

  @Override
  public List<ResourceRecordSet> list(String hostedZoneId, String name, RRType type, int max) {
    return client
        .listResourceRecordSets(
            r -> r.hostedZoneId(hostedZoneId).startRecordName(name).startRecordType(type).maxItems(Integer.toString(max)))
        .resourceRecordSets();
  }

  @Override
  public String change(String hostedZoneId, String comment, List<Change> changes) {
    return client
        .changeResourceRecordSets(r -> r.hostedZoneId(hostedZoneId).changeBatch(b -> b.comment(comment).changes(changes)))
        .changeInfo()
        .id();
  }

  @Override
  public ChangeStatus status(String changeId) {
    return client.getChange(r -> r.id(changeId)).changeInfo().status();
  }

  @Override
  public void close() {
    client.close();
  }
}
