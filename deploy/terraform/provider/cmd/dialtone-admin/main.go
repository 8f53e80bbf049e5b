// Command dialtone-admin is a tiny admin client over the provider's own client package, for the
// end-to-end run and for poking a lab: status, drain, cancel-drain, deregister, history.
//
//	dialtone-admin [--lab-dir DIR] status|drain ID|cancel-drain ID|deregister ID|history [N]|check-drains ID|lifecycle ID|tfvars
//
// lifecycle prints the region's lifecycle (ABSENT if unknown) and whether a placement routes
// to it; tfvars prints pipeline.json as variables for a config (terraform.tfvars.json).
// check-drains reads the history and fails if any decision or plan step routed to the region
// while it was draining (from "ID draining" until the drain was cancelled).
//
// It reaches the deployment as $DIALTONE_LAB_DIR/pipeline.json (or --lab-dir) says, else from
// DIALTONE_ENDPOINTS, DIALTONE_DEPLOYMENT, DIALTONE_TLS_DIR, DIALTONE_TOKEN... like the provider.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/dialtone-dev/terraform-provider-dialtone/internal/client"
	pb "github.com/dialtone-dev/terraform-provider-dialtone/internal/dialtonev1"
)

func main() {
	labDir := flag.String("lab-dir", os.Getenv("DIALTONE_LAB_DIR"), "a lab's work dir holding pipeline.json")
	reason := flag.String("reason", "dialtone-admin", "why, recorded in the history")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: dialtone-admin [--lab-dir DIR] [--reason TEXT] status | drain ID | cancel-drain ID | deregister ID | history [N] | check-drains ID | lifecycle ID | tfvars")
	}
	flag.Parse()
	if err := run(*labDir, *reason, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "dialtone-admin:", err)
		os.Exit(1)
	}
}

func run(labDir, reason string, args []string) error {
	if len(args) == 0 {
		flag.Usage()
		return fmt.Errorf("no command")
	}
	var s client.Settings
	if args[0] == "tfvars" {
		return tfvars(labDir)
	}
	if labDir != "" {
		p, err := client.ReadPipeline(labDir)
		if err != nil {
			return err
		}
		s = p.Settings()
	}
	r, problems := client.Resolve(s, os.Getenv)
	if len(problems) > 0 {
		var msgs []string
		for _, p := range problems {
			msgs = append(msgs, p.Error())
		}
		return fmt.Errorf("%s", strings.Join(msgs, "; "))
	}
	c, err := client.New(r, nil)
	if err != nil {
		return err
	}
	defer c.Close()
	ctx := context.Background()
	explain := func(action string, err error) error {
		if err == nil {
			return nil
		}
		summary, detail := client.Explain(action, err)
		return fmt.Errorf("%s\n%s", summary, detail)
	}
	arg := func() (string, error) {
		if len(args) < 2 {
			return "", fmt.Errorf("%s needs a region id", args[0])
		}
		return args[1], nil
	}
	switch args[0] {
	case "status":
		st, _, err := c.LeaderStatus(ctx)
		if err != nil {
			if st, err = c.Status(ctx); err != nil {
				return explain("read the status", err)
			}
		}
		p := st.GetPlacement()
		fmt.Printf("deployment %s, replica %s, leader %q, epoch %d, mode %s\n", st.GetDeployment(), st.GetReplicaId(), st.GetLeaderId(), st.GetEpoch(), client.ModeName(st.GetMode()))
		fmt.Printf("placement: active %q, standbys %v, outage mode %v\n", p.GetActiveRegion(), p.GetStandbyRegions(), p.GetOutageMode())
		for _, reg := range st.GetRegions() {
			fmt.Printf("  %-10s priority %-3d %-12s health %-8s ready %-5v %s\n", reg.GetId(), reg.GetPriority(), client.LifecycleName(reg.GetLifecycle()),
				client.HealthName(reg.GetHealth()), reg.GetReady(), reg.GetReason())
		}
		return nil
	case "drain", "cancel-drain", "deregister":
		id, err := arg()
		if err != nil {
			return err
		}
		var out fmt.Stringer
		err = c.Mutate(ctx, args[0]+" "+id, func(ctx context.Context, a pb.AdminServiceClient) error {
			var err error
			switch args[0] {
			case "drain":
				out, err = a.DrainRegion(ctx, &pb.DrainRegionRequest{Id: id, Reason: reason})
			case "cancel-drain":
				out, err = a.CancelDrain(ctx, &pb.CancelDrainRequest{Id: id, Reason: reason})
			default:
				out, err = a.DeregisterRegion(ctx, &pb.DeregisterRegionRequest{Id: id, Reason: reason})
			}
			return err
		})
		if err != nil {
			return explain(args[0]+" region "+id, err)
		}
		fmt.Println(out)
		return nil
	case "history":
		n := 100
		if len(args) > 1 {
			if n, err = strconv.Atoi(args[1]); err != nil || n < 1 {
				return fmt.Errorf("history N: want a positive number, not %q", args[1])
			}
		}
		entries, err := c.History(ctx, n)
		if err != nil {
			return explain("read the history", err)
		}
		enc := json.NewEncoder(os.Stdout)
		for _, e := range entries {
			if err := enc.Encode(map[string]any{"id": e.GetId(), "at": e.GetAt().AsTime(), "kind": strings.TrimPrefix(e.GetKind().String(), "HISTORY_KIND_"),
				"epoch": e.GetEpoch(), "plan": e.GetPlanId(), "principal": e.GetPrincipal(), "summary": e.GetSummary(), "reason": e.GetReason(), "evidence": e.GetEvidence()}); err != nil {
				return err
			}
		}
		return nil
	case "lifecycle":
		id, err := arg()
		if err != nil {
			return err
		}
		st, _, err := c.LeaderStatus(ctx)
		if err != nil {
			return explain("read the status", err)
		}
		l := "ABSENT"
		if r := client.FindRegion(st, id); r != nil {
			l = client.LifecycleName(r.GetLifecycle())
		}
		routed := "unrouted"
		if !client.OutOfRotationProgress(st, id).Done {
			routed = "routed"
		}
		fmt.Println(l, routed)
		return nil
	case "check-drains":
		id, err := arg()
		if err != nil {
			return err
		}
		entries, err := c.History(ctx, 2000)
		if err != nil {
			return explain("read the history", err)
		}
		v := checkDrains(entries, id)
		fmt.Printf("history: %d drain(s) of %s, %d decisions and plan steps during them, %d routing to %s\n", v.Windows, id, v.Examined, len(v.Violations), id)
		for _, line := range v.Violations {
			fmt.Println("  routed while draining:", line)
		}
		if len(v.Violations) > 0 {
			return fmt.Errorf("a plan routed to %s after its drain began", id)
		}
		if v.Windows == 0 {
			return fmt.Errorf("the history shows no drain of %s", id)
		}
		return nil
	default:
		flag.Usage()
		return fmt.Errorf("unknown command %q", args[0])
	}
}

// tfvars prints pipeline.json as a config's variables.
func tfvars(labDir string) error {
	if labDir == "" {
		return fmt.Errorf("tfvars needs --lab-dir (or DIALTONE_LAB_DIR)")
	}
	p, err := client.ReadPipeline(labDir)
	if err != nil {
		return err
	}
	if p.SpareRegion == nil {
		return fmt.Errorf("%s has no spareRegion: start the lab with --spare-region ID", p.Path)
	}
	r := p.SpareRegion
	if r.IPv6 == nil {
		r.IPv6 = []string{}
	}
	return json.NewEncoder(os.Stdout).Encode(map[string]any{"endpoints": p.Endpoints, "deployment": p.Deployment, "tls_dir": p.TLSDir,
		"region": map[string]any{"id": r.ID, "priority": r.Priority, "ipv4": r.IPv4, "ipv6": r.IPv6, "sip_uri": r.SIPURI}})
}
