package provider

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/dialtone-dev/terraform-provider-dialtone/internal/client"
	pb "github.com/dialtone-dev/terraform-provider-dialtone/internal/dialtonev1"
)

// labHarness reaches the live lab that $DIALTONE_LAB_DIR/pipeline.json describes.
func labHarness(t *testing.T) harness {
	t.Helper()
	dir := os.Getenv("DIALTONE_LAB_DIR")
	if dir == "" {
		t.Fatal("TF_ACC needs DIALTONE_LAB_DIR: a lab's work dir with pipeline.json (dialtone lab --spare-region ap-south --work-dir DIR)")
	}
	p, err := client.ReadPipeline(dir)
	if err != nil {
		t.Fatal(err)
	}
	if p.SpareRegion == nil {
		t.Fatalf("%s has no spareRegion: start the lab with --spare-region ID", p.Path)
	}
	r, problems := client.Resolve(p.Settings(), nil)
	if len(problems) > 0 {
		t.Fatalf("%s: %v", p.Path, problems)
	}
	admin, err := client.New(r, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = admin.Close() })
	block := fmt.Sprintf("provider \"dialtone\" {\n  endpoints  = %s\n  deployment = %q\n  tls_dir    = %q\n}", hclList(p.Endpoints), p.Deployment, p.TLSDir)
	if p.TLSDir == "" {
		block = fmt.Sprintf("provider \"dialtone\" {\n  endpoints = %s\n  plaintext = true\n}", hclList(p.Endpoints))
	}
	h := harness{providerBlock: block, admin: admin, standbyTimeout: "12m", region: *p.SpareRegion}
	if h.region.IPv6 == nil {
		h.region.IPv6 = []string{}
	}
	h.forget(t)
	return h
}

// forget drains and deregisters the spare region if an earlier run left it registered.
func (h harness) forget(t *testing.T) {
	t.Helper()
	st, err := h.status(context.Background())
	if err != nil {
		t.Fatalf("lab status: %v", err)
	}
	if !client.Registered(st, h.region.ID) {
		return
	}
	t.Logf("region %s is registered (%s) from an earlier run: draining and deregistering it first", h.region.ID,
		client.LifecycleName(client.FindRegion(st, h.region.ID).GetLifecycle()))
	h.drainByHand(t)
	if _, err := h.admin.Wait(context.Background(), "drain", 2*time.Minute, func(st *pb.GetStatusResponse) client.Progress {
		return client.OutOfRotationProgress(st, h.region.ID)
	}, nil); err != nil {
		t.Fatal(err)
	}
	if err := h.admin.Mutate(context.Background(), "deregister", func(ctx context.Context, a pb.AdminServiceClient) error {
		_, err := a.DeregisterRegion(ctx, &pb.DeregisterRegionRequest{Id: h.region.ID, Reason: "acceptance test: clean up"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

// TestAccRegionLifecycle runs the region's life against the live lab (TF_ACC=1,
// DIALTONE_LAB_DIR) with OpenTofu, printing how long the steps took.
func TestAccRegionLifecycle(t *testing.T) {
	if os.Getenv(resource.EnvTfAcc) == "" {
		t.Skip("acceptance test: set TF_ACC=1 and DIALTONE_LAB_DIR (a lab started with --spare-region)")
	}
	if !useCLI(t) {
		t.Fatal("TF_ACC=1 needs a tofu (or terraform) binary: TF_ACC_TERRAFORM_PATH")
	}
	h := labHarness(t)
	start := time.Now()
	h.marks = func(event string) { t.Logf("%s %.1f s after the test began", event, time.Since(start).Seconds()) }
	resource.Test(t, h.lifecycle(t))
}
