package main

import (
	"fmt"
	"slices"
	"strings"

	pb "github.com/dialtone-dev/terraform-provider-dialtone/internal/dialtonev1"
)

// routeIn is the routing order an entry names, active region first: a decision's summary
// ("Shift: route a > b", "placement committed: a > b") or a plan step's evidence target.
func routeIn(e *pb.HistoryEntry) []string {
	var text string
	switch e.GetKind() {
	case pb.HistoryKind_HISTORY_KIND_PLAN_STEP:
		text = e.GetEvidence()["target"]
	case pb.HistoryKind_HISTORY_KIND_DECISION:
		s := e.GetSummary()
		if _, after, ok := strings.Cut(s, "Shift: route "); ok {
			text = after
		} else if _, after, ok := strings.Cut(s, "placement committed: "); ok {
			text = after
		} else {
			text = e.GetEvidence()["target"]
		}
	}
	var out []string
	for _, r := range strings.Split(text, ">") {
		if r = strings.TrimSpace(r); r != "" {
			out = append(out, r)
		}
	}
	return out
}

// drainVerdict is what the history says about the drains of a region.
type drainVerdict struct {
	Windows    int      // drains found
	Examined   int      // decisions and plan steps inside them
	Violations []string // entries inside a drain that route to the region
}

// checkDrains looks, for every "<region> draining" entry, at the decisions and plan steps after
// it and until the drain ends ("drain cancelled" or a new registration): none may route to the
// region. entries are newest first, as ListHistory returns them.
func checkDrains(entries []*pb.HistoryEntry, region string) drainVerdict {
	var v drainVerdict
	draining := false
	for _, e := range slices.Backward(entries) {
		if e.GetKind() == pb.HistoryKind_HISTORY_KIND_REGION && strings.HasPrefix(e.GetSummary(), region+" ") {
			s := strings.TrimPrefix(e.GetSummary(), region+" ")
			switch {
			case s == "draining":
				draining = true
				v.Windows++
			case strings.HasPrefix(s, "drain cancelled"), strings.HasPrefix(s, "registered"):
				draining = false
			}
			continue
		}
		if !draining || (e.GetKind() != pb.HistoryKind_HISTORY_KIND_DECISION && e.GetKind() != pb.HistoryKind_HISTORY_KIND_PLAN_STEP) {
			continue
		}
		v.Examined++
		if slices.Contains(routeIn(e), region) {
			v.Violations = append(v.Violations, fmt.Sprintf("%s %s %s: %s", e.GetId(), e.GetAt().AsTime().Format("15:04:05.000"), e.GetKind(), e.GetSummary()))
		}
	}
	return v
}
