package provider

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/dialtone-dev/terraform-provider-dialtone/internal/client"
	pb "github.com/dialtone-dev/terraform-provider-dialtone/internal/dialtonev1"
)

var regexpStandby = regexp.MustCompile(`^(STANDBY|ACTIVE)$`)

// spareRegion is the region a test registers, drains and deregisters (pipeline.json's spareRegion).
type spareRegion = client.SpareSpec

// harness is one deployment to run the region lifecycle against: the in-memory fake or the lab.
type harness struct {
	providerBlock  string // provider "dialtone" { ... }
	region         spareRegion
	admin          *client.Client // the API, for drains by hand and CheckDestroy
	standbyTimeout string
	marks          func(event string) // hears "STANDBY", "deregistered"...; nil: silent
}

// mark is a check that records when it ran.
func (h harness) mark(event string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if h.marks != nil {
			h.marks(event)
		}
		return nil
	}
}

var factories = map[string]func() (tfprotov6.ProviderServer, error){
	"dialtone": providerserver.NewProtocol6WithError(New("test")()),
}

// useCLI points terraform-plugin-testing at OpenTofu (TF_ACC_TERRAFORM_PATH, else tofu on PATH
// or in GOPATH/bin) with the provider's address; false when there is no binary to use.
func useCLI(t *testing.T) bool {
	t.Helper()
	bin := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if bin == "" {
		if p, err := exec.LookPath("tofu"); err == nil {
			bin = p
		} else if gopath, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
			if p := filepath.Join(strings.TrimSpace(string(gopath)), "bin", "tofu"); fileExists(p) {
				bin = p
			}
		}
	}
	if bin == "" {
		return false
	}
	t.Setenv("TF_ACC_TERRAFORM_PATH", bin)
	if os.Getenv("TF_ACC_PROVIDER_HOST") == "" {
		t.Setenv("TF_ACC_PROVIDER_HOST", "registry.opentofu.org")
	}
	if os.Getenv("TF_ACC_PROVIDER_NAMESPACE") == "" {
		t.Setenv("TF_ACC_PROVIDER_NAMESPACE", "dialtone")
	}
	t.Setenv("CHECKPOINT_DISABLE", "1")
	// A CLI config the environment names but that does not exist only makes the CLI complain.
	if f := os.Getenv("TF_CLI_CONFIG_FILE"); f != "" && !fileExists(f) {
		empty := filepath.Join(t.TempDir(), "empty.tofurc")
		if err := os.WriteFile(empty, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		t.Setenv("TF_CLI_CONFIG_FILE", empty)
	}
	return true
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func hclList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

func (h harness) config(priority int) string {
	return fmt.Sprintf(`
terraform {
  required_providers {
    dialtone = { source = "dialtone/dialtone" }
  }
}

%s

resource "dialtone_region" "spare" {
  id       = %q
  priority = %d
  edge = {
    ipv4    = %s
    ipv6    = %s
    sip_uri = %q
  }
  standby_timeout = %q
}

data "dialtone_status" "now" {}
data "dialtone_regions" "all" {}
`, h.providerBlock, h.region.ID, priority, hclList(h.region.IPv4), hclList(h.region.IPv6), h.region.SIPURI, h.standbyTimeout)
}

func (h harness) status(ctx context.Context) (*pb.GetStatusResponse, error) {
	st, _, err := h.admin.LeaderStatus(ctx)
	return st, err
}

// drainByHand is what an operator's `dialtone regions drain` does, behind Terraform's back.
func (h harness) drainByHand(t *testing.T) {
	t.Helper()
	err := h.admin.Mutate(context.Background(), "drain by hand", func(ctx context.Context, a pb.AdminServiceClient) error {
		_, err := a.DrainRegion(ctx, &pb.DrainRegionRequest{Id: h.region.ID, Reason: "acceptance test: a drain by hand"})
		return err
	})
	if err != nil {
		t.Fatalf("drain by hand: %v", err)
	}
}

// goneAndUnrouted is CheckDestroy: the region is deregistered and no placement names it.
func (h harness) goneAndUnrouted(s *terraform.State) error {
	_ = h.mark("destroyed")(s)
	st, err := h.status(context.Background())
	if err != nil {
		return err
	}
	if client.Registered(st, h.region.ID) {
		return fmt.Errorf("region %s is still registered: %v", h.region.ID, client.FindRegion(st, h.region.ID))
	}
	if p := client.OutOfRotationProgress(st, h.region.ID); !p.Done {
		return fmt.Errorf("%s", p.Reason)
	}
	return nil
}

// lifecycle is the region's whole life through the CLI, the same against the fake and the lab:
// create -> STANDBY (and an empty plan after it, which plugin-testing checks after every
// step), priority changed in place, import, a drain by hand shows as drift, applying cancels it,
// then destroy drains and deregisters (CheckDestroy).
func (h harness) lifecycle(t *testing.T) resource.TestCase {
	const res = "dialtone_region.spare"
	return resource.TestCase{
		ProtoV6ProviderFactories: factories,
		CheckDestroy:             h.goneAndUnrouted,
		Steps: []resource.TestStep{
			{
				Config: h.config(h.region.Priority),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(res, plancheck.ResourceActionCreate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestMatchResourceAttr(res, "lifecycle_state", regexpStandby),
					resource.TestCheckResourceAttr(res, "in_rotation", "true"),
					resource.TestCheckResourceAttr(res, "reason", "terraform"),
					h.mark("created: STANDBY"),
				),
			},
			{
				Config: h.config(h.region.Priority + 10),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(res, tfjsonpath.New("priority"), knownvalue.Int64Exact(int64(h.region.Priority+10))),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(res, "priority", fmt.Sprint(h.region.Priority+10)),
					resource.TestMatchResourceAttr(res, "lifecycle_state", regexpStandby),
					resource.TestCheckTypeSetElemNestedAttrs("data.dialtone_status.now", "regions.*", map[string]string{"id": h.region.ID}),
					resource.TestCheckResourceAttrPair("data.dialtone_status.now", "leader_id", "data.dialtone_status.now", "replica_id"),
					resource.TestCheckTypeSetElemNestedAttrs("data.dialtone_regions.all", "regions.*", map[string]string{"id": h.region.ID, "edge.sip_uri": h.region.SIPURI}),
				),
			},
			{
				ResourceName: res, ImportState: true, ImportStateId: h.region.ID, ImportStateVerify: true,
				// Settings the server does not keep come back as their defaults.
				ImportStateVerifyIgnore: []string{"standby_timeout"},
			},
			{
				PreConfig:          func() { h.drainByHand(t) },
				Config:             h.config(h.region.Priority + 10),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(res, tfjsonpath.New("in_rotation"), knownvalue.Bool(true)),
				}},
			},
			{
				Config: h.config(h.region.Priority + 10),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(res, "in_rotation", "true"),
					resource.TestMatchResourceAttr(res, "lifecycle_state", regexpStandby),
					h.mark("drain cancelled: STANDBY again"),
				),
			},
		},
	}
}
