package main

import (
	"fmt"
	"slices"
	"testing"

	pb "github.com/dialtone-dev/terraform-provider-dialtone/internal/dialtonev1"
)

func entry(kind pb.HistoryKind, summary, target string) *pb.HistoryEntry {
	e := &pb.HistoryEntry{Kind: kind, Summary: summary}
	if target != "" {
		e.Evidence = map[string]string{"target": target}
	}
	return e
}

func TestCheckDrains(t *testing.T) {
	const (
		region   = pb.HistoryKind_HISTORY_KIND_REGION
		decision = pb.HistoryKind_HISTORY_KIND_DECISION
		step     = pb.HistoryKind_HISTORY_KIND_PLAN_STEP
	)
	oldestFirst := []*pb.HistoryEntry{
		entry(region, "ap-south registered as PROVISIONING", ""),
		entry(decision, "Shift: route us-east > us-west > ap-south", ""), // before the drain: fine
		entry(region, "ap-south draining", ""),
		entry(decision, "Shift: route us-east > us-west", ""),
		entry(step, "apply dns/rfc2136: SUCCEEDED after 1 attempt(s)", "us-east > us-west"),
		entry(decision, "placement committed: us-east > ap-south-2", ""), // another region whose name starts alike
		entry(region, "ap-south drain cancelled: DRAINING -> PROVISIONING", ""),
		entry(decision, "Shift: route us-east > ap-south", ""), // after the cancel: fine
		entry(region, "ap-south draining", ""),
		entry(step, "apply carrier/kamailio: SUCCEEDED after 1 attempt(s)", "us-east > ap-south"), // a violation
	}
	for i, e := range oldestFirst {
		e.Id = fmt.Sprintf("e-%02d", i)
	}
	newestFirst := slices.Clone(oldestFirst)
	slices.Reverse(newestFirst)
	v := checkDrains(newestFirst, "ap-south")
	if v.Windows != 2 || v.Examined != 4 || len(v.Violations) != 1 || v.Violations[0][:4] != "e-09" {
		t.Errorf("verdict %+v", v)
	}
}
