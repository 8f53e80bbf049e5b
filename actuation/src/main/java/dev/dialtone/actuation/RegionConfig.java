package dev.dialtone.actuation;

import dev.dialtone.config.constraint.Checked;
import dev.dialtone.config.constraint.Formats;
import dev.dialtone.config.constraint.Identifier;
import dev.dialtone.config.constraint.Ipv4;
import dev.dialtone.config.constraint.Ipv6;
import dev.dialtone.config.constraint.Rules;
import dev.dialtone.config.constraint.SipUri;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.util.List;

/**
 * A region as a deployment's file declares it ({@code regions:} of the replica's YAML): its id, its
 * priority (lower is preferred) and its public edge.
 */
public record RegionConfig(
    @NotNull @Identifier String id,
    @NotNull(message = "is required: lower is preferred (1 = primary)") @Min(0) Integer priority,
    @NotNull(message = "is required: the region's public edge (a, aaaa, sip, cname)") @Valid Edge edge) {

  /** A region's public edge as written in the file. */
  public record Edge(List<@NotNull @Ipv4 String> a, List<@NotNull @Ipv6 String> aaaa, @SipUri String sip, String cname)
      implements Checked {
    public Edge {
      a = a == null ? List.of() : List.copyOf(a);
      aaaa = aaaa == null ? List.of() : List.copyOf(aaaa);
    }

    @Override
    public void check(Rules rules) {
      rules.require(!a.isEmpty() || !aaaa.isEmpty() || sip != null || cname != null, "",
          "needs at least one of a, aaaa, sip, cname");
      if (cname != null) {
        rules.require(Formats.isDnsName(cname), "cname",
            "'" + cname + "' is refused: must be a DNS name (e.g. edge.us-east.example.com.)");
      }
    }
  }

  /** The edge in the actuation seam's terms. */
  public RegionEdge toEdge() {
    return new RegionEdge(id, edge.a(), edge.aaaa(), edge.sip() == null ? null : URI.create(edge.sip()), edge.cname());
  }
}
